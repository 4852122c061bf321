// The descriptions of the hot-spot analyses (command `hotspots`): gistar (--method gi),
// localmoran (local-moran), optimizedhotspots (optimized), and globalmoran,
// nearestneighbourindex and ripleyk, which `--method global` runs together.
// Texts in English and Dutch (Dutch as in plugin/i18n/veldwacht_nl.ts).
#include "layers/analyses/describe_common.h"
#include "layers/analyses/hotspots.h"

namespace veldwacht::layers::describe {

namespace {

using R = HotspotRequest;

Analysis<R> base(std::string id, std::string method, HotspotMethod m, Text title, Text help) {
  auto a = analysisOf<R>({"hotspots", "hotspots", {"Hot spots", "Hotspots"}}, std::move(id),
                         {std::move(method)}, std::move(title), std::move(help));
  a.makeDefaults = [m] {
    R r;
    r.method = m;
    return r;
  };
  a.selectMethod = [](R& r, std::string_view name) { r.method = parseHotspotMethod(name); };
  return a;
}

/// Point counts per grid cell, or a value field of polygons.
std::vector<Input> unitInputs() {
  Input points = pointInput(false);
  points.label = {"Input layer", "Invoerlaag"};
  points.help = {"Points counted per grid cell.", "Punten, geteld per rastercel."};
  points.keys = false;  // counted per cell: no per-point rows
  Input polygons = polygonInput(
      {"Polygons with a value field", "Vlakken met een waardeveld"},
      {"Analyse a numeric field (--value-field) of this polygon layer instead of point counts.",
       "Een numeriek veld (--value-field) van deze vlakkenlaag analyseren in plaats van "
       "aantallen punten."});
  return {points, polygons, maskInput()};
}

void addWeights(Analysis<R>& a) {
  addOption(a, "weights", "WEIGHTS", OptionKind::Choice,
            choiceField(&R::weights,
                        std::vector<std::pair<std::string, WeightsKind>>{
                            {"distance-band", WeightsKind::DistanceBand},
                            {"k-nearest", WeightsKind::KNearest},
                            {"contiguity", WeightsKind::Contiguity}}),
            {"distance-band", "k-nearest", "contiguity"})
      .label("Neighbours", "Buren")
      .help("distance-band, k-nearest or contiguity.",
            "afstandsband, k dichtstbijzijnde of "
            "aangrenzend (contiguity).")
      .group("Weights");
  addOption(a, "band", "DISTANCE_BAND", OptionKind::Real,
            field(&R::band, &geo::DistanceBandOptions::band))
      .label("Distance band (0 = every feature gets a neighbour)",
             "Afstandsband (0 = elk object krijgt een buur)")
      .help("Distance band in metres; 0 = the smallest giving every unit a neighbour.",
            "Afstandsband in meters; 0 = de kleinste die elk object een buur geeft.")
      .unit("m")
      .atLeast(0)
      .atMost(1e6)
      .group("Weights");
  addOption(a, "k", "K", OptionKind::Integer, field(&R::knn, &geo::KNearestOptions::k))
      .label("K nearest neighbours", "K dichtstbijzijnde buren")
      .help("Neighbours for k-nearest weights (fewer than the units).",
            "Buren bij k dichtstbijzijnde (minder dan het aantal objecten).")
      .atLeast(1)
      .atMost(1000)
      .group("Weights");
}

template <class S>
void addInference(Analysis<R>& a, S R::*opts, bool correction) {
  addPermutations(a, field(opts, &S::permutations))
      .help("Conditional permutations per unit; 0 = analytic p-values only.",
            "Conditionele permutaties per object; 0 = alleen analytische p-waarden.")
      .group("Inference");
  addSeed(a, field(opts, &S::seed))
      .help("Seed of the permutations and simulations.",
            "Startwaarde van de permutaties en simulaties.")
      .group("Inference");
  if (correction)
    addCorrection(a, choiceField(opts, &S::correction, correctionChoices())).group("Inference");
}

ResultTable unitsTable(std::string style, std::vector<ResultField> extra) {
  std::vector<ResultField> fields = {
      resultFieldOf("cel_id", FieldType::Text,
                    "unit key: cel_id for grid cells, bron_id for polygons",
                    "sleutel: cel_id voor cellen, bron_id voor vlakken"),
      resultFieldOf("aantal", FieldType::Integer,
                    "the analysed value: aantal (points per cell) or the value field",
                    "de geanalyseerde waarde: aantal (punten per cel) of het waardeveld")};
  for (auto& f : extra) fields.push_back(std::move(f));
  return polygonTable(
      std::move(style),
      {"One row per unit (grid cell or polygon).", "Eén rij per eenheid (rastercel of vlak)."},
      std::move(fields));
}

Analysis<R> giDescription() {
  auto a = base(
      "gistar", "gi", HotspotMethod::GiStar,
      {"Hot spots (Getis-Ord Gi*)", "Hotspots (Getis-Ord Gi*)"},
      {"Finds statistically significant hot and cold spots of a value (e.g. counts per grid cell "
       "or per neighbourhood) with the Getis-Ord Gi* statistic (Getis & Ord 1992; Ord & Getis "
       "1995): each feature's neighbourhood sum, itself included, compared with what chance "
       "gives. gi_bin is −3…+3 for 99/95/90% cold or hot spots, as ArcGIS's Gi_Bin, after a "
       "false-discovery-rate correction by default.",
       "Vindt statistisch significante hot- en coldspots van een waarde (bijv. aantallen per "
       "rastercel of per buurt) met de Getis-Ord Gi*-statistiek (Getis & Ord 1992; Ord & Getis "
       "1995): de som van elke buurt, het object zelf meegeteld, vergeleken met wat toeval geeft. "
       "gi_bin is −3…+3 voor cold- of hotspots met 99/95/90% betrouwbaarheid, zoals Gi_Bin van "
       "ArcGIS, standaard na een correctie voor het aantal valse ontdekkingen (FDR)."});
  a.inputs = unitInputs();
  addGridOptions(a, &R::grid);
  addWeights(a);
  addOption(a, "row-standardise", "ROW_STANDARDISE", OptionKind::Boolean,
            field(&R::gi, &geo::GiStarOptions::rowStandardise))
      .label("Row-standardise the weights", "Gewichten per rij standaardiseren")
      .help("Gi*: row-standardised weights.", "Gi*: gewichten per rij gestandaardiseerd.")
      .group("Weights")
      .advanced();
  addInference(a, &R::gi, true);
  addThreads(a, field(&R::gi, &geo::GiStarOptions::threads));
  a.results = {unitsTable(
      "hotspots_gi",
      {resultFieldOf("gi_z", FieldType::Real, "Gi* z-score", "Gi* z-score"),
       resultFieldOf("gi_p", FieldType::Real, "raw (analytic) p-value", "ruwe (analytische) p"),
       resultFieldOf("gi_p_gecorrigeerd", FieldType::Real, "p after the chosen correction",
                     "p na de gekozen correctie"),
       resultFieldOf("gi_p_permutatie", FieldType::Real, "pseudo p (with permutations only)",
                     "pseudo-p (alleen met permutaties)"),
       resultFieldOf("gi_bin", FieldType::Integer, "−3…+3: 99/95/90 % cold or hot spot",
                     "−3…+3: 99/95/90 % cold- of hotspot"),
       resultFieldOf("buren", FieldType::Integer, "neighbours of the unit",
                     "aantal buren van het object")})};
  return a;
}

Analysis<R> localMoranDescription() {
  auto a = base(
      "localmoran", "local-moran", HotspotMethod::LocalMoran,
      {"Clusters and outliers (local Moran's I)", "Clusters en uitschieters (lokale Moran’s I)"},
      {"Anselin's local Moran's I (LISA, 1995): where high values sit among high ones (HH), low "
       "among low (LL), and where a value stands out from its neighbours (HL, LH). Significance "
       "from conditional permutations, corrected for multiple testing; lisa_type NS = not "
       "significant.",
       "Lokale Moran’s I van Anselin (LISA, 1995): waar hoge waarden tussen hoge liggen (HH), "
       "lage tussen lage (LL), en waar een waarde afsteekt tegen de buren (HL, LH). Significantie "
       "uit conditionele permutaties, gecorrigeerd voor meervoudig toetsen; lisa_type NS = niet "
       "significant."});
  a.inputs = unitInputs();
  addGridOptions(a, &R::grid);
  addWeights(a);
  addInference(a, &R::localMoran, true);
  addOption(a, "alpha", "ALPHA", OptionKind::Real,
            field(&R::localMoran, &geo::LocalMoranOptions::alpha))
      .label("Significance level", "Significantieniveau")
      .help("Significance of the cluster types.", "Significantie van de clustertypen.")
      .greaterThan(0)
      .lessThan(1)
      .group("Inference");
  addThreads(a, field(&R::localMoran, &geo::LocalMoranOptions::threads));
  a.results = {unitsTable(
      "local_moran",
      {resultFieldOf("lisa_i", FieldType::Real, "local Moran's I", "lokale Moran's I"),
       resultFieldOf("lisa_z", FieldType::Real, "z-score", "z-score"),
       resultFieldOf("lisa_p", FieldType::Real, "raw p-value (permutation when permuted)",
                     "ruwe p (permutatie als er gepermuteerd is)"),
       resultFieldOf("lisa_p_gecorrigeerd", FieldType::Real, "p after the chosen correction",
                     "p na de gekozen correctie"),
       resultFieldOf("lisa_type", FieldType::Text, "HH, LL, HL, LH or NS (not significant)",
                     "HH, LL, HL, LH of NS (niet significant)")})};
  return a;
}

Analysis<R> optimizedDescription() {
  auto a = base(
      "optimizedhotspots", "optimized", HotspotMethod::Optimized,
      {"Optimized hot spots of incidents", "Geoptimaliseerde hotspots van incidenten"},
      {"From incident points straight to hot spots, choosing the parameters from the data as "
       "ArcGIS's Optimized Hot Spot Analysis does: a cell size from the points' spacing, counts "
       "per cell, the distance band at the first peak of spatial autocorrelation, then Gi* with "
       "FDR-corrected bins. Every choice is recorded.",
       "Van incidentpunten rechtstreeks naar hotspots, met parameters gekozen uit de data zoals "
       "Optimized Hot Spot Analysis van ArcGIS: een celgrootte uit de onderlinge afstand van de "
       "punten, aantallen per cel, de afstandsband bij de eerste piek van ruimtelijke "
       "autocorrelatie, dan Gi* met FDR-gecorrigeerde klassen. Elke keuze wordt vastgelegd."});
  Input in = pointInput(false);
  in.label = {"Incident points", "Incidentpunten"};
  in.keys = false;  // counted per cell: no per-point rows
  a.inputs = {in, maskInput()};
  addOption(a, "cell-size", "CELL_SIZE", OptionKind::Real,
            field(&R::optimized, &geo::OptimizedHotSpotOptions::cellSize))
      .label("Cell size (0 = from the data)", "Celgrootte (0 = uit de data)")
      .help("Cell size in metres; 0 = suggested from the points' spacing.",
            "Celgrootte in meters; 0 = voorgesteld uit de onderlinge afstand van de punten.")
      .unit("m")
      .atLeast(0)
      .atMost(geo::kMaxCellSize)
      .group("Grid");
  addShape(a, choiceField(&R::optimized, &geo::OptimizedHotSpotOptions::shape, gridShapeChoices()))
      .help("hexagon (pointy top), hexagon-flat or square.",
            "zeshoek (punt boven), zeshoek met vlakke bovenkant, of vierkant.")
      .group("Grid");
  addOption(a, "bands", "BANDS", OptionKind::Integer,
            field(&R::optimized, &geo::OptimizedHotSpotOptions::bands))
      .label("Distance bands tested", "Geteste afstandsbanden")
      .help("Incremental spatial autocorrelation bands.",
            "Banden van de incrementele ruimtelijke autocorrelatie.")
      .atLeast(2)
      .atMost(100)
      .advanced();
  addPermutations(a, field(&R::optimized, &geo::OptimizedHotSpotOptions::permutations))
      .help("Conditional permutations for Gi*; 0 = analytic (as ArcGIS).",
            "Conditionele permutaties voor Gi*; 0 = analytisch (zoals ArcGIS).")
      .group("Inference");
  addSeed(a, field(&R::optimized, &geo::OptimizedHotSpotOptions::seed))
      .help("Seed of the permutations.", "Startwaarde van de permutaties.")
      .group("Inference");
  addThreads(a, field(&R::optimized, &geo::OptimizedHotSpotOptions::threads));
  auto gi = giDescription().results.front();
  a.results = {gi};
  return a;
}

ResultTable globalTable() {
  ResultTable t;
  t.suffix = "_globaal";
  t.processing = "GLOBAL";
  t.geometry = GeometryKind::None;
  t.meaning = {"Table of the global statistics (Moran's I, nearest neighbour index).",
               "Tabel met de globale statistieken (Moran's I, dichtstbijzijnde-buurindex)."};
  t.fields = {resultFieldOf("statistiek", FieldType::Text, "name of the statistic",
                            "naam van de statistiek"),
              resultFieldOf("waarde", FieldType::Real, "observed value", "waargenomen waarde"),
              resultFieldOf("verwacht", FieldType::Real, "expected under randomness",
                            "verwacht bij toeval"),
              resultFieldOf("z", FieldType::Real, "z-score", "z-score"),
              resultFieldOf("p", FieldType::Real, "p-value", "p-waarde"),
              resultFieldOf("toelichting", FieldType::Text, "reading", "uitleg")};
  return t;
}

ResultTable ripleyTable() {
  ResultTable t;
  t.suffix = "_ripley";
  t.processing = "RIPLEY";
  t.geometry = GeometryKind::None;
  t.meaning = {"Ripley's K and L per distance with the CSR envelope.",
               "Ripley's K en L per afstand met de envelop bij toeval."};
  t.fields = {
      resultFieldOf("afstand_m", FieldType::Real, "distance in metres", "afstand in meters"),
      resultFieldOf("k", FieldType::Real, "Ripley's K", "Ripley's K"),
      resultFieldOf("l", FieldType::Real, "Besag's L", "Besags L"),
      resultFieldOf("l_laag", FieldType::Real, "lower envelope of L under randomness",
                    "onderkant van de envelop van L bij toeval"),
      resultFieldOf("l_hoog", FieldType::Real, "upper envelope of L under randomness",
                    "bovenkant van de envelop van L bij toeval")};
  return t;
}

Analysis<R> globalMoranDescription() {
  auto a = base(
      "globalmoran", "global", HotspotMethod::Global,
      {"Spatial autocorrelation (global Moran's I)",
       "Ruimtelijke autocorrelatie (globale Moran's I)"},
      {"One number for the whole layer: do similar values of a field lie near each other "
       "(Moran's I > E[I], clustered), alternate (I < E[I], dispersed), or neither (Moran 1950; "
       "moments from Cliff & Ord 1981)? z and p are under the randomisation assumption, as "
       "ArcGIS's Spatial Autocorrelation tool. `--method global` also runs the nearest neighbour "
       "index and Ripley's K.",
       "Eén getal voor de hele laag: liggen gelijke waarden van een veld bij elkaar (Moran's I > "
       "E[I], geclusterd), wisselen ze elkaar af (I < E[I], verspreid), of geen van beide (Moran "
       "1950; momenten volgens Cliff & Ord 1981)? z en p gelden onder de randomisatie-aanname, "
       "zoals in ArcGIS's Spatial Autocorrelation. `--method global` berekent ook de "
       "dichtstbijzijnde-buurindex en Ripley's K."});
  a.inputs = unitInputs();
  addGridOptions(a, &R::grid);
  addWeights(a);
  addOption(a, "row-standardise", "ROW_STANDARDISE", OptionKind::Boolean,
            field(&R::globalMoran, &geo::GlobalMoranOptions::rowStandardise))
      .label("Row-standardise the weights", "Gewichten per rij standaardiseren")
      .help("Row-standardised weights.", "Gewichten per rij gestandaardiseerd.")
      .group("Weights")
      .advanced();
  a.results = {globalTable()};
  return a;
}

Analysis<R> nniDescription() {
  auto a = base(
      "nearestneighbourindex", "global", HotspotMethod::Global,
      {"Average nearest neighbour (Clark-Evans)", "Gemiddelde dichtstbijzijnde buur (Clark-Evans)"},
      {"Clark & Evans's (1954) nearest neighbour index: the mean distance from each point to its "
       "nearest neighbour divided by what complete spatial randomness of the same density gives. "
       "R < 1 clustered, R = 1 random, R > 1 dispersed (a square lattice gives 2). The answer "
       "depends on the area: give the study area in m² when it is known, otherwise the mask's "
       "area or the points' bounding rectangle is used.",
       "De dichtstbijzijnde-buurindex van Clark & Evans (1954): de gemiddelde afstand van elk punt "
       "tot zijn dichtstbijzijnde buur, gedeeld door wat volledig toeval bij dezelfde dichtheid "
       "geeft. R < 1 geclusterd, R = 1 toevallig, R > 1 verspreid (een vierkant rooster geeft 2). "
       "De uitkomst hangt sterk af van de oppervlakte: geef de oppervlakte van het "
       "onderzoeksgebied in m² als die bekend is, anders wordt die van het masker of de "
       "omhullende rechthoek van de punten gebruikt."});
  Input in = pointInput(false);
  in.label = {"Points", "Punten"};
  in.keys = false;  // global statistics: no per-point rows
  a.inputs = {in, maskInput()};
  addOption(a, "area", "AREA", OptionKind::Real,
            field(&R::nni, &geo::NearestNeighbourIndexOptions::area))
      .label("Study area (0 = the points' bounding rectangle)",
             "Onderzoeksgebied (0 = omhullende rechthoek van de punten)")
      .help("Study area in m²; 0 = the mask's area, else the points' bounding rectangle.",
            "Oppervlakte van het onderzoeksgebied in m²; 0 = die van het masker, anders de "
            "omhullende rechthoek van de punten.")
      .unit("m²")
      .atLeast(0)
      .atMost(1e12)
      .group("Global statistics");
  a.results = {globalTable()};
  return a;
}

Analysis<R> ripleyDescription() {
  auto a = base(
      "ripleyk", "global", HotspotMethod::Global,
      {"Multi-distance clustering (Ripley's K)", "Clustering over afstanden (Ripley's K)"},
      {"Ripley's K and Besag's L function (Ripley 1976; Besag 1977): at which distances are points "
       "more clustered than complete spatial randomness? L(d) = d under randomness; an observed L "
       "above the envelope of simulated random patterns (99 simulations ≈ 2% significance per "
       "distance) means clustering at that distance. One table row per distance: afstand_m, k, l, "
       "l_laag, l_hoog. Ripley's isotropic edge correction.",
       "Ripley's K- en Besags L-functie (Ripley 1976; Besag 1977): op welke afstanden liggen "
       "punten meer geclusterd dan bij volledig toeval? Bij toeval is L(d) = d; een waargenomen L "
       "boven de envelop van gesimuleerde toevalspatronen (99 simulaties ≈ 2% significantie per "
       "afstand) betekent clustering op die afstand. Eén tabelrij per afstand: afstand_m, k, l, "
       "l_laag, l_hoog. Ripley's isotrope randcorrectie."});
  Input in = pointInput(false);
  in.label = {"Points", "Punten"};
  in.keys = false;  // global statistics: no per-point rows
  a.inputs = {in, maskInput()};
  addOption(a, "simulations", "SIMULATIONS", OptionKind::Integer,
            field(&R::ripley, &geo::RipleyOptions::simulations))
      .label("Simulations for the envelope", "Simulaties voor de envelop")
      .help("CSR simulations for the envelope.", "Simulaties bij toeval voor de envelop.")
      .atLeast(0)
      .atMost(9999)
      .group("Global statistics");
  addOption(a, "distance-bands", "DISTANCES", OptionKind::Integer,
            field(&R::ripley, &geo::RipleyOptions::bands))
      .label("Number of distances", "Aantal afstanden")
      .help("Number of distances (equal steps).", "Aantal afstanden (gelijke stappen).")
      .atLeast(1)
      .atMost(1000)
      .group("Global statistics");
  addSeed(a, field(&R::ripley, &geo::RipleyOptions::seed))
      .help("Seed of the simulations.", "Startwaarde van de simulaties.")
      .group("Inference");
  addThreads(a, field(&R::ripley, &geo::RipleyOptions::threads));
  a.results = {ripleyTable()};
  return a;
}

}  // namespace

const std::vector<Analysis<HotspotRequest>>& hotspotAnalyses() {
  static const std::vector<Analysis<HotspotRequest>> all =
      finishAll<R>({giDescription(), localMoranDescription(), optimizedDescription(),
                    globalMoranDescription(), nniDescription(), ripleyDescription()});
  return all;
}

}  // namespace veldwacht::layers::describe
