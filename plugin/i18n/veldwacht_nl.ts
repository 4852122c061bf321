<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="nl_NL">
<context>
    <name>DbscanAlgorithm</name>
    <message>
        <source>DBSCAN clustering</source>
        <translation>DBSCAN-clustering</translation>
    </message>
    <message>
        <source>Clustering</source>
        <translation>Clustering</translation>
    </message>
    <message>
        <source>dbscan,cluster,density,signalen,hotspot</source>
        <translation>dbscan,cluster,dichtheid,signalen,hotspot</translation>
    </message>
    <message>
        <source>Groups points that lie close together (DBSCAN, Ester et al. 1996). A point with at least &lt;i&gt;minimum points&lt;/i&gt; points (itself included) within &lt;i&gt;radius&lt;/i&gt; metres is a core point; core points within the radius of each other form one cluster, points near a core point join it, the rest is noise (cluster_id = -1). DBSCAN* drops those border points to noise. Coordinates are taken in EPSG:28992. The result equals scikit-learn's DBSCAN; clusters are numbered from 0.</source>
        <translation>Groepeert punten die dicht bij elkaar liggen (DBSCAN, Ester e.a. 1996). Een punt met minstens &lt;i&gt;minimum aantal punten&lt;/i&gt; punten (zichzelf meegeteld) binnen &lt;i&gt;straal&lt;/i&gt; meter is een kernpunt; kernpunten binnen elkaars straal vormen één cluster, punten vlak bij een kernpunt horen erbij, de rest is ruis (cluster_id = -1). DBSCAN* maakt die randpunten ruis. Coördinaten worden in EPSG:28992 genomen. De uitkomst is gelijk aan die van scikit-learn; clusters zijn genummerd vanaf 0.</translation>
    </message>
    <message>
        <source>Radius (eps)</source>
        <translation>Straal (eps)</translation>
    </message>
    <message>
        <source>Neighbourhood radius in metres; a neighbour at exactly this distance counts.</source>
        <translation>Straal van de buurt in meters; een buur op precies deze afstand telt mee.</translation>
    </message>
    <message>
        <source>Minimum points</source>
        <translation>Minimum aantal punten</translation>
    </message>
    <message>
        <source>Points within the radius, the point itself included, that make a core point.</source>
        <translation>Aantal punten binnen de straal, het punt zelf meegeteld, dat een kernpunt maakt.</translation>
    </message>
    <message>
        <source>Border points are noise (DBSCAN*)</source>
        <translation>Randpunten zijn ruis (DBSCAN*)</translation>
    </message>
    <message>
        <source>Threads (0 = all cores)</source>
        <translation>Threads (0 = alle kernen)</translation>
    </message>
    <message>
        <source>Input point layer</source>
        <translation>Invoerlaag (punten)</translation>
    </message>
    <message>
        <source>Weight field</source>
        <translation>Gewichtsveld</translation>
    </message>
    <message>
        <source>Clusters</source>
        <translation>Clusters</translation>
    </message>
    <message>
        <source>Number of clusters</source>
        <translation>Aantal clusters</translation>
    </message>
    <message>
        <source>Weight field %1 not found</source>
        <translation>Gewichtsveld %1 niet gevonden</translation>
    </message>
    <message>
        <source>Feature %1 has no valid weight; it counts as 0</source>
        <translation>Object %1 heeft geen geldig gewicht; het telt als 0</translation>
    </message>
    <message>
        <source>%1 clusters; %2 features skipped</source>
        <translation>%1 clusters; %2 objecten overgeslagen</translation>
    </message>
</context>
<context>
    <name>veldwacht::ui::DockPanel</name>
    <message>
        <source>Open a Veldwacht store…</source>
        <translation>Veldwacht-store openen…</translation>
    </message>
    <message>
        <source>Analysis</source>
        <translation>Analyse</translation>
    </message>
    <message>
        <source>Algorithm</source>
        <translation>Algoritme</translation>
    </message>
    <message>
        <source>Input layer</source>
        <translation>Invoerlaag</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>Uitvoeren</translation>
    </message>
    <message>
        <source>Processing dialog…</source>
        <translation>Processing-dialoog…</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Annuleren</translation>
    </message>
</context>
<context>
    <name>veldwacht::ui::ParameterForm</name>
    <message>
        <source>Show advanced options</source>
        <translation>Geavanceerde opties tonen</translation>
    </message>
</context>
<context>
    <name>veldwacht::plugin::Provider</name>
    <message>
        <source>Veldwacht — signals of ondermijning in the countryside and on business parks</source>
        <translation>Veldwacht — signalen van ondermijning in het buitengebied en op bedrijventerreinen</translation>
    </message>
</context>
<context>
    <name>veldwacht::ui::ResultTableModel</name>
    <message>
        <source>Running</source>
        <translation>Bezig</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>Klaar</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Mislukt</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>Geannuleerd</translation>
    </message>
    <message>
        <source>Analysis</source>
        <translation>Analyse</translation>
    </message>
    <message>
        <source>Input</source>
        <translation>Invoer</translation>
    </message>
    <message>
        <source>Started</source>
        <translation>Gestart</translation>
    </message>
    <message>
        <source>Duration</source>
        <translation>Duur</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>Resultaat</translation>
    </message>
</context>
<context>
    <name>StDbscanAlgorithm</name>
    <message>
        <source>ST-DBSCAN space-time clustering</source>
        <translation>ST-DBSCAN ruimte-tijdclustering</translation>
    </message>
    <message>
        <source>Clustering</source>
        <translation>Clustering</translation>
    </message>
    <message>
        <source>st-dbscan,space-time,cluster,time window,signalen</source>
        <translation>st-dbscan,ruimte-tijd,cluster,tijdvenster,signalen</translation>
    </message>
    <message>
        <source>Clusters points close in space AND time (ST-DBSCAN, Birant &amp; Kut 2007): two points are neighbours when they lie within the radius and their times within the time radius. With an end-time field each point is a time window (an observation between two moments) and the gap between windows counts. Points without a time are reported and skipped. Times are read as written (no time-zone conversion).</source>
        <translation>Clustert punten die dicht bij elkaar liggen in ruimte ÉN tijd (ST-DBSCAN, Birant &amp; Kut 2007): twee punten zijn buren als ze binnen de straal liggen en hun tijden binnen de tijdstraal. Met een eindtijdveld is elk punt een tijdvenster (een waarneming tussen twee momenten) en telt het gat tussen de vensters. Punten zonder tijd worden gemeld en overgeslagen. Tijden worden gelezen zoals ze geschreven zijn (geen tijdzone-omrekening).</translation>
    </message>
    <message>
        <source>Radius (eps)</source>
        <translation>Straal (eps)</translation>
    </message>
    <message>
        <source>Time radius</source>
        <translation>Tijdstraal</translation>
    </message>
    <message>
        <source>days</source>
        <translation>dagen</translation>
    </message>
    <message>
        <source>Largest time difference (or gap between windows) of neighbours.</source>
        <translation>Grootste tijdsverschil (of gat tussen vensters) tussen buren.</translation>
    </message>
    <message>
        <source>Minimum points</source>
        <translation>Minimum aantal punten</translation>
    </message>
    <message>
        <source>Border points are noise (DBSCAN*)</source>
        <translation>Randpunten zijn ruis (DBSCAN*)</translation>
    </message>
    <message>
        <source>Threads (0 = all cores)</source>
        <translation>Threads (0 = alle kernen)</translation>
    </message>
    <message>
        <source>Input point layer</source>
        <translation>Invoerlaag (punten)</translation>
    </message>
    <message>
        <source>Time (or window start) field</source>
        <translation>Veld met tijd (of begin van het venster)</translation>
    </message>
    <message>
        <source>Window end field</source>
        <translation>Veld met einde van het venster</translation>
    </message>
    <message>
        <source>Space-time clusters</source>
        <translation>Ruimte-tijdclusters</translation>
    </message>
    <message>
        <source>Number of clusters</source>
        <translation>Aantal clusters</translation>
    </message>
    <message>
        <source>Time field %1 not found</source>
        <translation>Tijdveld %1 niet gevonden</translation>
    </message>
    <message>
        <source>Window end field %1 not found</source>
        <translation>Veld met einde van het venster %1 niet gevonden</translation>
    </message>
    <message>
        <source>Feature %1 has no valid time in %2; skipped</source>
        <translation>Object %1 heeft geen geldige tijd in %2; overgeslagen</translation>
    </message>
    <message>
        <source>Feature %1 ends before it starts; its start is used as a moment</source>
        <translation>Object %1 eindigt voor het begint; het begin wordt als moment gebruikt</translation>
    </message>
    <message>
        <source>%1 clusters; %2 features skipped</source>
        <translation>%1 clusters; %2 objecten overgeslagen</translation>
    </message>
</context>
<context>
    <name>Veldwacht</name>
    <message>
        <source>The analysis was cancelled; no output was kept.</source>
        <translation>De analyse is geannuleerd; er is geen uitvoer bewaard.</translation>
    </message>
    <message>
        <source>Invalid option %1</source>
        <translation>Ongeldige optie %1</translation>
    </message>
    <message>
        <source>Invalid input: %1</source>
        <translation>Ongeldige invoer: %1</translation>
    </message>
    <message>
        <source>Out of memory</source>
        <translation>Geheugen vol</translation>
    </message>
    <message>
        <source>Unexpected error: %1</source>
        <translation>Onverwachte fout: %1</translation>
    </message>
    <message>
        <source>Feature %1 has no geometry; skipped</source>
        <translation>Object %1 heeft geen geometrie; overgeslagen</translation>
    </message>
    <message>
        <source>Feature %1 could not be transformed to EPSG:28992; skipped</source>
        <translation>Object %1 kon niet naar EPSG:28992 worden omgezet; overgeslagen</translation>
    </message>
    <message>
        <source>Feature %1 has no finite coordinates; skipped</source>
        <translation>Object %1 heeft geen eindige coördinaten; overgeslagen</translation>
    </message>
    <message>
        <source>Style %1 not applied: %2</source>
        <translation>Stijl %1 niet toegepast: %2</translation>
    </message>
    <message>
        <source>Style styles/%1 not found; the output keeps QGIS's default style</source>
        <translation>Stijl styles/%1 niet gevonden; de uitvoer houdt de standaardstijl van QGIS</translation>
    </message>
</context>
<context>
    <name>veldwacht::plugin::VeldwachtPlugin</name>
    <message>
        <source>Open a Veldwacht store…</source>
        <translation>Veldwacht-store openen…</translation>
    </message>
    <message>
        <source>Veldwacht panel</source>
        <translation>Veldwacht-paneel</translation>
    </message>
    <message>
        <source>Veldwacht analyses in Processing…</source>
        <translation>Veldwacht-analyses in Processing…</translation>
    </message>
    <message>
        <source>&amp;Veldwacht</source>
        <translation>&amp;Veldwacht</translation>
    </message>
    <message>
        <source>Veldwacht</source>
        <translation>Veldwacht</translation>
    </message>
    <message>
        <source>Open a Veldwacht store</source>
        <translation>Een Veldwacht-store openen</translation>
    </message>
    <message>
        <source>Veldwacht store (*.gpkg *.sqlite);;All files (*)</source>
        <translation>Veldwacht-store (*.gpkg *.sqlite);;Alle bestanden (*)</translation>
    </message>
    <message>
        <source>No layers in %1</source>
        <translation>Geen lagen in %1</translation>
    </message>
    <message numerus="yes">
        <source>%n layer(s) added from %1</source>
        <translation><numerusform>%n laag toegevoegd uit %1</numerusform><numerusform>%n lagen toegevoegd uit %1</numerusform></translation>
    </message>
    <message>
        <source>File not found: %1</source>
        <translation>Bestand niet gevonden: %1</translation>
    </message>
    <message>
        <source>Layer %1 of %2 could not be opened</source>
        <translation>Laag %1 van %2 kon niet worden geopend</translation>
    </message>
    <message>
        <source>Python is not available; use the Run button instead</source>
        <translation>Python is niet beschikbaar; gebruik de knop Uitvoeren</translation>
    </message>
    <message>
        <source>Choose an input layer first</source>
        <translation>Kies eerst een invoerlaag</translation>
    </message>
    <message>
        <source>%1 is running…</source>
        <translation>%1 loopt…</translation>
    </message>
    <message>
        <source>See the log messages</source>
        <translation>Zie de logberichten</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>Klaar</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>Geannuleerd</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Mislukt</translation>
    </message>
</context>
</TS>