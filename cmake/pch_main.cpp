// Holder of the tests' precompiled headers (VELDWACHT_PCH); never run.
int main() { return 0; }
