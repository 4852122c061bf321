// The descriptions of the clustering analyses (command `cluster`): dbscan, stdbscan, hdbscan,
// kmeans. Texts in English and Dutch (Dutch as in plugin/i18n/veldwacht_nl.ts).
#include "layers/analyses/clustering.h"
#include "layers/analyses/describe_common.h"

namespace veldwacht::layers::describe {

namespace {

using R = ClusteringRequest;

Analysis<R> common(std::string id, std::vector<std::string> methods, ClusterMethod method,
                   Text title, Text help, bool weights) {
  auto a = analysisOf<R>({"cluster", "clustering", {"Clustering", "Clustering"}}, std::move(id),
                         std::move(methods), std::move(title), std::move(help));
  a.inputs = {pointInput(weights)};
  a.makeDefaults = [method] {
    R r;
    r.method = method;
    return r;
  };
  a.selectMethod = [](R& r, std::string_view m) { r.method = parseClusterMethod(m); };
  return a;
}

/// Hull options and the two result tables, the same for every clustering analysis.
void addHullsAndResults(Analysis<R>& a, bool hdbscan) {
  addOption(a, "concave-hull", "CONCAVE_HULL", OptionKind::Boolean,
            field(&R::summary, &geo::ClusterSummaryOptions::concaveHull))
      .label("Concave hulls", "Concave omhullingen")
      .help("Concave hulls (GEOS) instead of convex ones.",
            "Concave omhullingen (GEOS) in plaats van convexe.")
      .group("Hulls")
      .advanced();
  addOption(a, "concave-ratio", "CONCAVE_RATIO", OptionKind::Real,
            field(&R::summary, &geo::ClusterSummaryOptions::concaveRatio))
      .label("Concave hull ratio", "Verhouding concave omhulling")
      .help("Edge-length ratio of concave hulls: 1 = convex, 0 = tightest.",
            "Verhouding van de randlengtes: 1 = convex, 0 = zo strak mogelijk.")
      .atLeast(0)
      .atMost(1)
      .group("Hulls")
      .advanced();
  addOption(a, "concave-allow-holes", "CONCAVE_HOLES", OptionKind::Boolean,
            field(&R::summary, &geo::ClusterSummaryOptions::concaveAllowHoles))
      .label("Holes in concave hulls", "Gaten in concave omhullingen")
      .help("Allow holes in concave hulls.", "Gaten in concave omhullingen toestaan.")
      .group("Hulls")
      .advanced();
  addOption(a, "degenerate-buffer", "DEGENERATE_BUFFER", OptionKind::Real,
            field(&R::degenerateBuffer))
      .label("Buffer of thin hulls", "Buffer van dunne omhullingen")
      .help(
          "Hulls of one or two points, or of points on a line, are buffered by this many "
          "metres so that they show as polygons.",
          "Omhullingen van één of twee punten, of van punten op een lijn, krijgen een buffer "
          "van zoveel meter zodat ze als vlak zichtbaar zijn.")
      .unit("m")
      .greaterThan(0)
      .atMost(10000)
      .group("Hulls")
      .advanced();

  ResultTable points;
  points.suffix = "_punten";
  points.processing = "OUTPUT";
  points.geometry = GeometryKind::Point;
  points.style = "clusters_points";
  points.meaning = {"Every input point with its cluster.", "Elk invoerpunt met zijn cluster."};
  points.fields = {
      resultFieldOf("bron_id", FieldType::Text, "natural key in the input layer",
                    "natuurlijke sleutel in de invoerlaag"),
      resultFieldOf("cluster_id", FieldType::Integer, "cluster number from 0; -1 = noise",
                    "-1 = ruis"),
      resultFieldOf("cluster_grootte", FieldType::Integer, "points in the cluster; 0 for noise",
                    "aantal punten in het cluster; 0 voor ruis"),
      resultFieldOf("kernpunt", FieldType::Boolean,
                    "core point (DBSCAN family); NULL for HDBSCAN and k-means",
                    "kernpunt (DBSCAN-familie); NULL bij HDBSCAN en k-means")};
  if (hdbscan) {
    points.fields.push_back(resultFieldOf("lidmaatschap", FieldType::Real,
                                          "membership probability (0..1)",
                                          "lidmaatschapskans (0..1)"));
    points.fields.push_back(resultFieldOf("uitbijterscore", FieldType::Real,
                                          "GLOSH outlier score (0..1)",
                                          "GLOSH-uitschieterscore (0..1)"));
  }
  ResultTable hulls = polygonTable(
      "clusters_hulls", {"One hull per cluster.", "Eén omhulling per cluster."},
      {resultFieldOf("cluster_id", FieldType::Integer, "cluster number", "clusternummer"),
       resultFieldOf("aantal", FieldType::Integer, "points in the cluster",
                     "aantal punten in het cluster"),
       resultFieldOf("van", FieldType::DateTime, "earliest time in the cluster",
                     "vroegste tijd in het cluster"),
       resultFieldOf("tot", FieldType::DateTime, "latest time in the cluster",
                     "laatste tijd in het cluster"),
       resultFieldOf("categorie_mix", FieldType::Text, "categories with their counts",
                     "categorieën met hun aantallen"),
       resultFieldOf("bronnen", FieldType::Integer, "number of distinct source types",
                     "aantal verschillende brontypes"),
       resultFieldOf("oppervlakte_m2", FieldType::Real, "hull area in m²",
                     "oppervlakte van de omhulling in m²"),
       resultFieldOf("opmerking", FieldType::Text, "note, e.g. a buffered thin hull",
                     "opmerking, bijv. een gebufferde dunne omhulling")});
  hulls.suffix = "_clusters";
  hulls.processing = "HULLS";
  a.results = {std::move(points), std::move(hulls)};
}

void addMinPts(Analysis<R>& a, Binding<R> b) {
  addOption(a, "min-pts", "MIN_PTS", OptionKind::Integer, std::move(b))
      .label("Minimum points", "Minimum aantal punten")
      .help("Points within the radius, the point itself included, that make a core point.",
            "Aantal punten binnen de straal, het punt zelf meegeteld, dat een kernpunt maakt.")
      .atLeast(1)
      .atMost(1000000)
      .group("DBSCAN / ST-DBSCAN");
}

void addEps(Analysis<R>& a, Binding<R> b) {
  addOption(a, "eps", "EPS", OptionKind::Real, std::move(b))
      .label("Radius (eps)", "Straal (eps)")
      .help("Neighbourhood radius in metres; a neighbour at exactly this distance counts.",
            "Straal van de buurt in meters; een buur op precies deze afstand telt mee.")
      .unit("m")
      .greaterThan(0)
      .atMost(1e6)
      .group("DBSCAN / ST-DBSCAN");
}

void addBorderNoise(Analysis<R>& a, Binding<R> b) {
  addOption(a, "border-points-are-noise", "BORDER_NOISE", OptionKind::Boolean, std::move(b))
      .label("Border points are noise (DBSCAN*)", "Randpunten zijn ruis (DBSCAN*)")
      .help("DBSCAN*: border points become noise; clusters consist of core points only.",
            "DBSCAN*: randpunten worden ruis; clusters bestaan alleen uit kernpunten.")
      .group("DBSCAN / ST-DBSCAN")
      .advanced();
}

Analysis<R> dbscanDescription() {
  auto a = common(
      "dbscan", {"dbscan", "dbscan*"}, ClusterMethod::Dbscan,
      {"DBSCAN clustering", "DBSCAN-clustering"},
      {"Groups points that lie close together (DBSCAN, Ester et al. 1996). A point with at "
       "least <i>minimum points</i> points (itself included) within <i>radius</i> metres is "
       "a core point; core points within the radius of each other form one cluster, points "
       "near a core point join it, the rest is noise (cluster_id = -1). DBSCAN* drops "
       "those border points to noise. Coordinates are taken in EPSG:28992. The result "
       "equals scikit-learn's DBSCAN; clusters are numbered from 0.",
       "Groepeert punten die dicht bij elkaar liggen (DBSCAN, Ester e.a. 1996). Een punt met "
       "minstens <i>minimum aantal punten</i> punten (zichzelf meegeteld) binnen <i>straal</i> "
       "meter is een kernpunt; kernpunten binnen elkaars straal vormen één cluster, punten vlak "
       "bij een kernpunt horen erbij, de rest is ruis (cluster_id = -1). DBSCAN* maakt die "
       "randpunten ruis. Coördinaten worden in EPSG:28992 genomen. De uitkomst is gelijk aan "
       "die van scikit-learn; clusters zijn genummerd vanaf 0."},
      true);
  addEps(a, field(&R::dbscan, &geo::DbscanOptions::eps));
  addMinPts(a, field(&R::dbscan, &geo::DbscanOptions::minPts));
  addBorderNoise(a, field(&R::dbscan, &geo::DbscanOptions::borderPointsAreNoise));
  addThreads(a, field(&R::dbscan, &geo::DbscanOptions::threads));
  addHullsAndResults(a, false);
  return a;
}

Analysis<R> stDbscanDescription() {
  auto a = common(
      "stdbscan", {"st-dbscan"}, ClusterMethod::StDbscan,
      {"ST-DBSCAN space-time clustering", "ST-DBSCAN ruimte-tijdclustering"},
      {"Clusters points close in space AND time (ST-DBSCAN, Birant & Kut 2007): two points are "
       "neighbours when they lie within the radius and their times within the time radius. "
       "With time windows each point is an observation between two moments and the gap "
       "between windows counts. Times are read as written (no time-zone conversion).",
       "Clustert punten die dicht bij elkaar liggen in ruimte ÉN tijd (ST-DBSCAN, Birant & Kut "
       "2007): twee punten zijn buren als ze binnen de straal liggen en hun tijden binnen de "
       "tijdstraal. Met tijdvensters is elk punt een waarneming tussen twee momenten en telt "
       "het gat tussen de vensters. Tijden worden gelezen zoals ze geschreven zijn (geen "
       "tijdzone-omrekening)."},
      false);
  addEps(a, field(&R::stDbscan, &geo::StDbscanOptions::eps));
  addOption(a, "eps-seconds", "EPS_SECONDS", OptionKind::Real,
            field(&R::stDbscan, &geo::StDbscanOptions::epsSeconds))
      .label("Time radius in seconds", "Tijdstraal in seconden")
      .help("Largest time difference (or gap between windows) of neighbours, in seconds.",
            "Grootste tijdsverschil (of gat tussen vensters) tussen buren, in seconden.")
      .unit("s")
      .atLeast(0)
      .atMost(100.0 * 365 * 86400)
      .group("DBSCAN / ST-DBSCAN")
      .advanced();
  addOption(
      a, "eps-days", "EPS_DAYS", OptionKind::Real,
      {[](const R& r) { return OptionValue(r.stDbscan.epsSeconds / 86400.0); },
       [](R& r, const OptionValue& v) { r.stDbscan.epsSeconds = std::get<double>(v) * 86400.0; }})
      .label("Time radius", "Tijdstraal")
      .help(
          "Largest time difference (or gap between windows) of neighbours, in days (sets "
          "eps-seconds).",
          "Grootste tijdsverschil (of gat tussen vensters) tussen buren, in dagen (zet "
          "eps-seconds).")
      .unit("days")
      .atLeast(0)
      .atMost(100.0 * 365)
      .group("DBSCAN / ST-DBSCAN");
  addMinPts(a, field(&R::stDbscan, &geo::StDbscanOptions::minPts));
  addBorderNoise(a, field(&R::stDbscan, &geo::StDbscanOptions::borderPointsAreNoise));
  addOption(a, "time-windows", "TIME_WINDOWS", OptionKind::Boolean, field(&R::timeWindows))
      .label("Observation windows", "Waarnemingsvensters")
      .help("Cluster on the observation windows (van..tot); off: on the start moments.",
            "Clusteren op de waarnemingsvensters (van..tot); uit: op de beginmomenten.")
      .group("DBSCAN / ST-DBSCAN")
      .advanced();
  addThreads(a, field(&R::stDbscan, &geo::StDbscanOptions::threads));
  addHullsAndResults(a, false);
  return a;
}

Analysis<R> hdbscanDescription() {
  auto a = common(
      "hdbscan", {"hdbscan"}, ClusterMethod::Hdbscan, {"HDBSCAN clustering", "HDBSCAN-clustering"},
      {"Finds clusters of varying density without a fixed radius (HDBSCAN, Campello, Moulavi & "
       "Sander 2013): it builds the hierarchy of all DBSCAN* clusterings and keeps the most "
       "stable clusters. Only the smallest cluster size is needed. Each point gets cluster_id "
       "(-1 = noise), a membership probability and a GLOSH outlier score. Results match the "
       "hdbscan Python library.",
       "Vindt clusters van wisselende dichtheid zonder vaste straal (HDBSCAN, Campello, Moulavi "
       "& Sander 2013): bouwt de hiërarchie van alle DBSCAN*-clusteringen en houdt de "
       "stabielste clusters. Alleen de kleinste clustergrootte is nodig. Elk punt krijgt "
       "cluster_id (-1 = ruis), een lidmaatschapskans en een GLOSH-uitschieterscore. De "
       "uitkomst is gelijk aan die van de Python-bibliotheek hdbscan."},
      false);
  addOption(a, "min-cluster-size", "MIN_CLUSTER_SIZE", OptionKind::Integer,
            field(&R::hdbscan, &geo::HdbscanOptions::minClusterSize))
      .label("Minimum cluster size", "Minimale clustergrootte")
      .help("The smallest group of points that counts as a cluster.",
            "De kleinste groep punten die als cluster telt.")
      .atLeast(2)
      .atMost(1000000)
      .group("HDBSCAN");
  addOption(a, "min-samples", "MIN_SAMPLES", OptionKind::Integer,
            field(&R::hdbscan, &geo::HdbscanOptions::minSamples))
      .label("Minimum samples (0 = minimum cluster size)",
             "Minimum aantal buren (0 = minimale clustergrootte)")
      .help("Neighbours, the point itself included, that define the core distance.",
            "Buren, het punt zelf meegeteld, die de kernafstand bepalen.")
      .atLeast(0)
      .atMost(1000000)
      .group("HDBSCAN")
      .advanced();
  addOption(a, "selection", "SELECTION", OptionKind::Choice,
            choiceField(&R::hdbscan, &geo::HdbscanOptions::selection,
                        std::vector<std::pair<std::string, geo::ClusterSelection>>{
                            {"eom", geo::ClusterSelection::ExcessOfMass},
                            {"leaf", geo::ClusterSelection::Leaf}}),
            {"eom", "leaf"})
      .label("Cluster selection", "Clusterkeuze")
      .help("eom: excess of mass (most stable); leaf: the finest clusters.",
            "eom: massa-overschot (stabielste); leaf: bladeren (fijnste).")
      .group("HDBSCAN")
      .advanced();
  addOption(a, "cluster-selection-epsilon", "CLUSTER_SELECTION_EPSILON", OptionKind::Real,
            field(&R::hdbscan, &geo::HdbscanOptions::clusterSelectionEpsilon))
      .label("Cluster selection epsilon", "Epsilon voor de clusterkeuze")
      .help("Metres: clusters closer than this are not split further (0 = off).",
            "Meters: clusters dichter bij elkaar dan dit worden niet verder gesplitst (0 = uit).")
      .unit("m")
      .atLeast(0)
      .atMost(1e6)
      .group("HDBSCAN")
      .advanced();
  addOption(a, "allow-single-cluster", "ALLOW_SINGLE", OptionKind::Boolean,
            field(&R::hdbscan, &geo::HdbscanOptions::allowSingleCluster))
      .label("Allow a single cluster", "Eén cluster toestaan")
      .help("Allow everything to be one cluster.", "Alles mag één cluster zijn.")
      .group("HDBSCAN")
      .advanced();
  addThreads(a, field(&R::hdbscan, &geo::HdbscanOptions::threads));
  addHullsAndResults(a, true);
  return a;
}

Analysis<R> kmeansDescription() {
  auto a = common(
      "kmeans", {"kmeans"}, ClusterMethod::Kmeans, {"K-means clustering", "K-means-clustering"},
      {"Splits all points into exactly <i>k</i> groups around centres (Lloyd's k-means with "
       "k-means++ seeding, Arthur & Vassilvitskii 2007), e.g. to share out addresses among k "
       "teams. Every point belongs to a group (no noise). The seed makes the result "
       "reproducible; the best of several restarts is kept.",
       "Verdeelt alle punten in precies <i>k</i> groepen rond middelpunten (k-means van Lloyd "
       "met k-means++-start, Arthur & Vassilvitskii 2007), bijv. om adressen over k teams te "
       "verdelen. Elk punt hoort bij een groep (geen ruis). De seed maakt de uitkomst "
       "herhaalbaar; de beste van meerdere herstarts wordt gehouden."},
      true);
  addOption(a, "k", "K", OptionKind::Integer, field(&R::kmeans, &geo::KmeansOptions::k))
      .shortFlag("k")
      .label("Number of clusters (k)", "Aantal clusters (k)")
      .help("Number of clusters; not more than the number of points.",
            "Aantal clusters; niet meer dan het aantal punten.")
      .atLeast(1)
      .atMost(100000)
      .group("k-means");
  addOption(a, "seed", "SEED", OptionKind::Integer, field(&R::kmeans, &geo::KmeansOptions::seed))
      .label("Random seed", "Startwaarde toeval (seed)")
      .help("Random seed; the same seed gives the same clusters.",
            "Startwaarde van het toeval; dezelfde seed geeft dezelfde clusters.")
      .atLeast(0)
      .group("k-means")
      .advanced();
  addOption(a, "n-init", "N_INIT", OptionKind::Integer,
            field(&R::kmeans, &geo::KmeansOptions::nInit))
      .label("Restarts", "Herstarts")
      .help("Restarts with different seedings; the lowest inertia wins.",
            "Herstarts met een andere start; de laagste inertie wint.")
      .atLeast(1)
      .atMost(1000)
      .group("k-means")
      .advanced();
  addOption(a, "max-iter", "MAX_ITER", OptionKind::Integer,
            field(&R::kmeans, &geo::KmeansOptions::maxIter))
      .label("Maximum iterations", "Maximum aantal iteraties")
      .help("Lloyd iterations per restart.", "Iteraties van Lloyd per herstart.")
      .atLeast(1)
      .atMost(100000)
      .group("k-means")
      .advanced();
  addOption(a, "tolerance", "TOLERANCE", OptionKind::Real,
            field(&R::kmeans, &geo::KmeansOptions::tolerance))
      .label("Tolerance", "Tolerantie")
      .help("Relative tolerance on the centre shift.",
            "Relatieve tolerantie op de verschuiving van de middelpunten.")
      .atLeast(0)
      .atMost(1)
      .group("k-means")
      .advanced();
  addThreads(a, field(&R::kmeans, &geo::KmeansOptions::threads));
  addHullsAndResults(a, false);
  return a;
}

}  // namespace

const std::vector<Analysis<ClusteringRequest>>& clusteringAnalyses() {
  static const std::vector<Analysis<ClusteringRequest>> all = finishAll<R>(
      {dbscanDescription(), stDbscanDescription(), hdbscanDescription(), kmeansDescription()});
  return all;
}

const Analysis<ClusteringRequest>& clusteringAnalysis(std::string_view id) {
  return findAnalysis(clusteringAnalyses(), id, "clustering");
}

}  // namespace veldwacht::layers::describe
