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
    <name>DualKdeAlgorithm</name>
    <message>
        <source>Dual kernel density (rate per address)</source>
        <translation>Dubbele kerndichtheid (ratio per adres)</translation>
    </message>
    <message>
        <source>Density</source>
        <translation>Dichtheid</translation>
    </message>
    <message>
        <source>dual kde,ratio,rate,density,addresses,risk</source>
        <translation>dubbele kde,ratio,verhouding,dichtheid,adressen,risico</translation>
    </message>
    <message>
        <source>The ratio of two kernel densities on the same grid (dual KDE, e.g. signals per 1000 addresses), so that busy places do not look risky only because many people live or work there. Where the denominator's density is below the minimum the ratio is no-data (or computed with the minimum).</source>
        <translation>De verhouding van twee kerndichtheden op hetzelfde raster (dubbele KDE, bijv. signalen per 1000 adressen), zodat drukke plekken niet riskant lijken alleen omdat er veel mensen wonen of werken. Waar de dichtheid van de noemer onder het minimum ligt, is de verhouding no-data (of berekend met het minimum).</translation>
    </message>
    <message>
        <source>Radius (bandwidth)</source>
        <translation>Straal (bandbreedte)</translation>
    </message>
    <message>
        <source>Pixel size</source>
        <translation>Pixelgrootte</translation>
    </message>
    <message>
        <source>Kernel shape</source>
        <translation>Kernvorm</translation>
    </message>
    <message>
        <source>Quartic</source>
        <translation>Quartic</translation>
    </message>
    <message>
        <source>Triangular</source>
        <translation>Driehoekig</translation>
    </message>
    <message>
        <source>Uniform</source>
        <translation>Uniform</translation>
    </message>
    <message>
        <source>Triweight</source>
        <translation>Triweight</translation>
    </message>
    <message>
        <source>Epanechnikov</source>
        <translation>Epanechnikov</translation>
    </message>
    <message>
        <source>Gaussian</source>
        <translation>Gaussisch</translation>
    </message>
    <message>
        <source>Ratio multiplier (e.g. 1000)</source>
        <translation>Vermenigvuldiger van de verhouding (bijv. 1000)</translation>
    </message>
    <message>
        <source>Minimum denominator density (per km²)</source>
        <translation>Minimale dichtheid van de noemer (per km²)</translation>
    </message>
    <message>
        <source>Below the minimum</source>
        <translation>Onder het minimum</translation>
    </message>
    <message>
        <source>No-data</source>
        <translation>No-data</translation>
    </message>
    <message>
        <source>Use the minimum</source>
        <translation>Het minimum gebruiken</translation>
    </message>
    <message>
        <source>Numerator points (signals)</source>
        <translation>Punten in de teller (signalen)</translation>
    </message>
    <message>
        <source>Denominator points (addresses)</source>
        <translation>Punten in de noemer (adressen)</translation>
    </message>
    <message>
        <source>Ratio</source>
        <translation>Verhouding</translation>
    </message>
    <message>
        <source>%1 pixels set to no-data by the minimum</source>
        <translation>%1 pixels no-data door het minimum</translation>
    </message>
</context>
<context>
    <name>EmergingHotSpotsAlgorithm</name>
    <message>
        <source>Emerging hot spots</source>
        <translation>Opkomende hotspots</translation>
    </message>
    <message>
        <source>Hot spots</source>
        <translation>Hotspots</translation>
    </message>
    <message>
        <source>emerging,space-time,cube,trend,mann-kendall,hotspot</source>
        <translation>opkomend,ruimte-tijd,kubus,trend,mann-kendall,hotspot</translation>
    </message>
    <message>
        <source>Where hot spots appear, grow, persist or fade over time (as ArcGIS's Emerging Hot Spot Analysis): incidents are counted in a space-time cube of cells and time steps, Gi* is computed for every cell and step with space-time neighbours, and the Mann-Kendall trend of each cell's z-scores decides the category (new, consecutive, intensifying, persistent, diminishing, sporadic, oscillating, historical hot or cold spot).</source>
        <translation>Waar hotspots ontstaan, groeien, blijven of verdwijnen in de tijd (zoals Emerging Hot Spot Analysis van ArcGIS): incidenten worden geteld in een ruimte-tijdkubus van cellen en tijdstappen, Gi* wordt berekend voor elke cel en stap met buren in ruimte en tijd, en de Mann-Kendall-trend van de z-scores van elke cel bepaalt de categorie (nieuwe, opeenvolgende, toenemende, blijvende, afnemende, sporadische, wisselende of historische hot- of coldspot).</translation>
    </message>
    <message>
        <source>Cell size (0 = from the data)</source>
        <translation>Celgrootte (0 = uit de data)</translation>
    </message>
    <message>
        <source>Time step unit</source>
        <translation>Eenheid van de tijdstap</translation>
    </message>
    <message>
        <source>Days</source>
        <translation>Dagen</translation>
    </message>
    <message>
        <source>Months</source>
        <translation>Maanden</translation>
    </message>
    <message>
        <source>Time step length</source>
        <translation>Lengte van de tijdstap</translation>
    </message>
    <message>
        <source>Neighbourhood distance (0 = from the data)</source>
        <translation>Buurtafstand (0 = uit de data)</translation>
    </message>
    <message>
        <source>Neighbourhood time steps</source>
        <translation>Tijdstappen in de buurt</translation>
    </message>
    <message>
        <source>Random seed</source>
        <translation>Startwaarde toeval (seed)</translation>
    </message>
    <message>
        <source>Incident points</source>
        <translation>Incidentpunten</translation>
    </message>
    <message>
        <source>Time field</source>
        <translation>Tijdveld</translation>
    </message>
    <message>
        <source>Time field %1 not found</source>
        <translation>Tijdveld %1 niet gevonden</translation>
    </message>
    <message>
        <source>Feature %1 has no valid time in %2; skipped</source>
        <translation>Object %1 heeft geen geldige tijd in %2; overgeslagen</translation>
    </message>
    <message>
        <source>%1 locations × %2 time steps; neighbourhood %3 m</source>
        <translation>%1 locaties × %2 tijdstappen; buurt %3 m</translation>
    </message>
</context>
<context>
    <name>GiStarAlgorithm</name>
    <message>
        <source>Hot spots (Getis-Ord Gi*)</source>
        <translation>Hotspots (Getis-Ord Gi*)</translation>
    </message>
    <message>
        <source>Hot spots</source>
        <translation>Hotspots</translation>
    </message>
    <message>
        <source>gi*,getis,ord,hotspot,coldspot,statistics</source>
        <translation>gi*,getis,ord,hotspot,coldspot,statistiek</translation>
    </message>
    <message>
        <source>Finds statistically significant hot and cold spots of a value (e.g. counts per grid cell or per neighbourhood) with the Getis-Ord Gi* statistic (Getis &amp; Ord 1992; Ord &amp; Getis 1995): each feature's neighbourhood sum, itself included, compared with what chance gives. gi_bin is −3…+3 for 99/95/90% cold or hot spots, as ArcGIS's Gi_Bin, after a false-discovery-rate correction by default.</source>
        <translation>Vindt statistisch significante hot- en coldspots van een waarde (bijv. aantallen per rastercel of per buurt) met de Getis-Ord Gi*-statistiek (Getis &amp; Ord 1992; Ord &amp; Getis 1995): de som van elke buurt, het object zelf meegeteld, vergeleken met wat toeval geeft. gi_bin is −3…+3 voor cold- of hotspots met 99/95/90% betrouwbaarheid, zoals Gi_Bin van ArcGIS, standaard na een correctie voor het aantal valse ontdekkingen (FDR).</translation>
    </message>
    <message>
        <source>Random seed</source>
        <translation>Startwaarde toeval (seed)</translation>
    </message>
    <message>
        <source>Input layer</source>
        <translation>Invoerlaag</translation>
    </message>
    <message>
        <source>Value field</source>
        <translation>Waardeveld</translation>
    </message>
</context>
<context>
    <name>GlobalMoranAlgorithm</name>
    <message>
        <source>Spatial autocorrelation (global Moran's I)</source>
        <translation>Ruimtelijke autocorrelatie (globale Moran's I)</translation>
    </message>
    <message>
        <source>Pattern statistics</source>
        <translation>Patroonstatistiek</translation>
    </message>
    <message>
        <source>moran,global,autocorrelation,cluster,statistics</source>
        <translation>moran,globaal,autocorrelatie,cluster,statistiek</translation>
    </message>
    <message>
        <source>One number for the whole layer: do similar values of a field lie near each other (Moran's I &gt; E[I], clustered), alternate (I &lt; E[I], dispersed), or neither (Moran 1950; moments from Cliff &amp; Ord 1981)? Polygons count at their centroid. z and p are under the randomisation assumption, as ArcGIS's Spatial Autocorrelation tool; the table also lists the normality ones.</source>
        <translation>Eén getal voor de hele laag: liggen gelijke waarden van een veld bij elkaar (Moran's I &gt; E[I], geclusterd), wisselen ze elkaar af (I &lt; E[I], verspreid), of geen van beide (Moran 1950; momenten volgens Cliff &amp; Ord 1981)? Vlakken tellen op hun zwaartepunt. z en p gelden onder de randomisatie-aanname, zoals in ArcGIS's Spatial Autocorrelation; de tabel geeft ook die onder normaliteit.</translation>
    </message>
    <message>
        <source>Row-standardise the weights</source>
        <translation>Gewichten per rij standaardiseren</translation>
    </message>
    <message>
        <source>Input layer</source>
        <translation>Invoerlaag</translation>
    </message>
    <message>
        <source>Value field</source>
        <translation>Waardeveld</translation>
    </message>
    <message>
        <source>Moran's I table</source>
        <translation>Tabel Moran's I</translation>
    </message>
    <message>
        <source>Moran's I</source>
        <translation>Moran's I</translation>
    </message>
    <message>
        <source>Expected I</source>
        <translation>Verwachte I</translation>
    </message>
    <message>
        <source>z-score</source>
        <translation>z-score</translation>
    </message>
    <message>
        <source>p-value</source>
        <translation>p-waarde</translation>
    </message>
    <message>
        <source>Moran's I needs at least 3 features with a value, got %1</source>
        <translation>Moran's I heeft minstens 3 objecten met een waarde nodig, er zijn er %1</translation>
    </message>
    <message>
        <source>%1 features have no neighbour</source>
        <translation>%1 objecten hebben geen buur</translation>
    </message>
    <message>
        <source>Moran's I = %1 (expected %2), z = %3, p = %4</source>
        <translation>Moran's I = %1 (verwacht %2), z = %3, p = %4</translation>
    </message>
</context>
<context>
    <name>GridCountAlgorithm</name>
    <message>
        <source>Count points in a grid</source>
        <translation>Punten tellen in een raster</translation>
    </message>
    <message>
        <source>Aggregation</source>
        <translation>Aggregatie</translation>
    </message>
    <message>
        <source>grid,hexagon,square,count,aggregate,privacy</source>
        <translation>raster,zeshoek,vierkant,tellen,aggregeren,privacy</translation>
    </message>
    <message>
        <source>Counts points (or sums a weight) in square or hexagonal cells. Hexagons have six equal neighbours and smaller edge effects (Birch, Oom &amp; Beecham 2007). An optional mask (study area, or where it can happen) limits the cells; cells can be kept whole or clipped. Output cells carry aantal, the cell area and the count per km². Cells are the basis of hotspot statistics and of privacy-safe maps.</source>
        <translation>Telt punten (of somt een gewicht) in vierkante of zeshoekige cellen. Zeshoeken hebben zes gelijke buren en kleinere randeffecten (Birch, Oom &amp; Beecham 2007). Een optioneel masker (studiegebied, of waar het kan gebeuren) begrenst de cellen; cellen blijven heel of worden afgesneden. De cellen krijgen aantal, de oppervlakte en het aantal per km². Cellen zijn de basis van hotspotstatistiek en van privacyveilige kaarten.</translation>
    </message>
    <message>
        <source>Cell shape</source>
        <translation>Celvorm</translation>
    </message>
    <message>
        <source>Square</source>
        <translation>Vierkant</translation>
    </message>
    <message>
        <source>Hexagon (pointy top)</source>
        <translation>Zeshoek (punt boven)</translation>
    </message>
    <message>
        <source>Hexagon (flat top)</source>
        <translation>Zeshoek (vlak boven)</translation>
    </message>
    <message>
        <source>Cell size</source>
        <translation>Celgrootte</translation>
    </message>
    <message>
        <source>Square side, or hexagon width across flats (centre distance).</source>
        <translation>Zijde van het vierkant, of breedte van de zeshoek tussen de vlakke zijden (afstand tussen middelpunten).</translation>
    </message>
    <message>
        <source>Cells at the mask's edge</source>
        <translation>Cellen aan de rand van het masker</translation>
    </message>
    <message>
        <source>Keep every cell that touches the mask</source>
        <translation>Elke cel behouden die het masker raakt</translation>
    </message>
    <message>
        <source>Keep cells whose centre is inside</source>
        <translation>Cellen behouden met het middelpunt erbinnen</translation>
    </message>
    <message>
        <source>Clip cells to the mask</source>
        <translation>Cellen afsnijden op het masker</translation>
    </message>
    <message>
        <source>Keep empty cells</source>
        <translation>Lege cellen behouden</translation>
    </message>
    <message>
        <source>Input point layer</source>
        <translation>Invoerlaag (punten)</translation>
    </message>
    <message>
        <source>Mask (study area)</source>
        <translation>Masker (studiegebied)</translation>
    </message>
    <message>
        <source>Weight field</source>
        <translation>Gewichtsveld</translation>
    </message>
    <message>
        <source>Grid counts</source>
        <translation>Aantallen per cel</translation>
    </message>
    <message>
        <source>%1 cells; %2 features skipped</source>
        <translation>%1 cellen; %2 objecten overgeslagen</translation>
    </message>
</context>
<context>
    <name>HdbscanAlgorithm</name>
    <message>
        <source>HDBSCAN clustering</source>
        <translation>HDBSCAN-clustering</translation>
    </message>
    <message>
        <source>Clustering</source>
        <translation>Clustering</translation>
    </message>
    <message>
        <source>hdbscan,cluster,density,hierarchical,outlier,signalen</source>
        <translation>hdbscan,cluster,dichtheid,hiërarchisch,uitschieter,signalen</translation>
    </message>
    <message>
        <source>Finds clusters of varying density without a fixed radius (HDBSCAN, Campello, Moulavi &amp; Sander 2013): it builds the hierarchy of all DBSCAN* clusterings and keeps the most stable clusters. Only the smallest cluster size is needed. Each point gets cluster_id (-1 = noise), a membership probability and a GLOSH outlier score. Results match the hdbscan Python library.</source>
        <translation>Vindt clusters van wisselende dichtheid zonder vaste straal (HDBSCAN, Campello, Moulavi &amp; Sander 2013): bouwt de hiërarchie van alle DBSCAN*-clusteringen en houdt de stabielste clusters. Alleen de kleinste clustergrootte is nodig. Elk punt krijgt cluster_id (-1 = ruis), een lidmaatschapskans en een GLOSH-uitschieterscore. De uitkomst is gelijk aan die van de Python-bibliotheek hdbscan.</translation>
    </message>
    <message>
        <source>Minimum cluster size</source>
        <translation>Minimale clustergrootte</translation>
    </message>
    <message>
        <source>Minimum samples (0 = minimum cluster size)</source>
        <translation>Minimum aantal buren (0 = minimale clustergrootte)</translation>
    </message>
    <message>
        <source>Cluster selection</source>
        <translation>Clusterkeuze</translation>
    </message>
    <message>
        <source>Excess of mass (most stable)</source>
        <translation>Massa-overschot (stabielste)</translation>
    </message>
    <message>
        <source>Leaf (finest)</source>
        <translation>Bladeren (fijnste)</translation>
    </message>
    <message>
        <source>Allow a single cluster</source>
        <translation>Eén cluster toestaan</translation>
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
        <source>Clusters</source>
        <translation>Clusters</translation>
    </message>
    <message>
        <source>Number of clusters</source>
        <translation>Aantal clusters</translation>
    </message>
    <message>
        <source>%1 clusters; %2 features skipped</source>
        <translation>%1 clusters; %2 objecten overgeslagen</translation>
    </message>
</context>
<context>
    <name>ImportAlgorithm</name>
    <message>
        <source>Import into a Veldwacht store</source>
        <translation>Importeren in een Veldwacht-store</translation>
    </message>
    <message>
        <source>Store</source>
        <translation>Store</translation>
    </message>
    <message>
        <source>import,store,bag,cbs,nwb,ibis,csv,signalen</source>
        <translation>importeren,store,bag,cbs,nwb,ibis,csv,signalen</translation>
    </message>
    <message>
        <source>Imports a layer (any QGIS layer, or a file: BAG, CBS wijk- en buurtkaart, NWB, IBIS, analysts' CSV exports with ; and decimal commas) into a Veldwacht store. The target layer is recognised from the fields unless chosen; other field names can be mapped as bron=doel,bron2=doel2. Coordinates are transformed to EPSG:28992. Every problem of every row is reported; when there is any, nothing is written (one transaction). With 'validate only' nothing is written at all.</source>
        <translation>Importeert een laag (elke QGIS-laag, of een bestand: BAG, CBS wijk- en buurtkaart, NWB, IBIS, CSV-exports van analisten met ; en decimale komma's) in een Veldwacht-store. De doellaag wordt herkend aan de velden, tenzij gekozen; andere veldnamen kunnen worden gekoppeld als bron=doel,bron2=doel2. Coördinaten worden omgezet naar EPSG:28992. Elk probleem van elke rij wordt gemeld; is er één, dan wordt niets geschreven (één transactie). Met 'alleen controleren' wordt helemaal niets geschreven.</translation>
    </message>
    <message>
        <source>Recognise from the fields</source>
        <translation>Herkennen aan de velden</translation>
    </message>
    <message>
        <source>Target layer</source>
        <translation>Doellaag</translation>
    </message>
    <message>
        <source>Field mapping (bron=doel,…)</source>
        <translation>Veldkoppeling (bron=doel,…)</translation>
    </message>
    <message>
        <source>Repair invalid polygons</source>
        <translation>Ongeldige polygonen repareren</translation>
    </message>
    <message>
        <source>Validate only (write nothing)</source>
        <translation>Alleen controleren (niets schrijven)</translation>
    </message>
    <message>
        <source>Create the store when it does not exist</source>
        <translation>De store aanmaken als die niet bestaat</translation>
    </message>
    <message>
        <source>Layer or file to import</source>
        <translation>Te importeren laag of bestand</translation>
    </message>
    <message>
        <source>Veldwacht store</source>
        <translation>Veldwacht-store</translation>
    </message>
    <message>
        <source>Veldwacht store (*.gpkg *.sqlite)</source>
        <translation>Veldwacht-store (*.gpkg *.sqlite)</translation>
    </message>
    <message>
        <source>Source CRS (overrides the layer's)</source>
        <translation>Bron-CRS (in plaats van die van de laag)</translation>
    </message>
    <message>
        <source>Rows imported</source>
        <translation>Geïmporteerde rijen</translation>
    </message>
    <message>
        <source>Report</source>
        <translation>Verslag</translation>
    </message>
    <message>
        <source>The input has errors; see the log</source>
        <translation>De invoer bevat fouten; zie het log</translation>
    </message>
    <message>
        <source>Store %1 does not exist</source>
        <translation>Store %1 bestaat niet</translation>
    </message>
    <message>
        <source>%1 problem(s) found; nothing was written to the store</source>
        <translation>%1 probleem/problemen gevonden; er is niets in de store geschreven</translation>
    </message>
</context>
<context>
    <name>KdeAlgorithm</name>
    <message>
        <source>Kernel density (heatmap)</source>
        <translation>Kerndichtheid (heatmap)</translation>
    </message>
    <message>
        <source>Density</source>
        <translation>Dichtheid</translation>
    </message>
    <message>
        <source>kde,heatmap,density,kernel,raster,signalen</source>
        <translation>kde,heatmap,dichtheid,kern,raster,signalen</translation>
    </message>
    <message>
        <source>Estimates the density of points as a raster (kernel density estimation, Silverman 1986): every point spreads its weight over a disc of the given radius with the chosen kernel. The default output is points per km², so maps made with different pixel sizes compare. The QGIS-compatible scaling and pixel placement reproduce QGIS's Heatmap algorithm. An optional mask sets cells outside it to no-data.</source>
        <translation>Schat de dichtheid van punten als raster (kerndichtheidsschatting, Silverman 1986): elk punt verdeelt zijn gewicht over een schijf met de gegeven straal volgens de gekozen kern. Standaard is de uitvoer punten per km², zodat kaarten met verschillende pixelgroottes vergelijkbaar zijn. De QGIS-schaling en pixelplaatsing geven dezelfde uitkomst als het Heatmap-algoritme van QGIS. Een optioneel masker maakt cellen erbuiten no-data.</translation>
    </message>
    <message>
        <source>Radius (bandwidth)</source>
        <translation>Straal (bandbreedte)</translation>
    </message>
    <message>
        <source>Pixel size</source>
        <translation>Pixelgrootte</translation>
    </message>
    <message>
        <source>Kernel shape</source>
        <translation>Kernvorm</translation>
    </message>
    <message>
        <source>Quartic</source>
        <translation>Quartic</translation>
    </message>
    <message>
        <source>Triangular</source>
        <translation>Driehoekig</translation>
    </message>
    <message>
        <source>Uniform</source>
        <translation>Uniform</translation>
    </message>
    <message>
        <source>Triweight</source>
        <translation>Triweight</translation>
    </message>
    <message>
        <source>Epanechnikov</source>
        <translation>Epanechnikov</translation>
    </message>
    <message>
        <source>Gaussian</source>
        <translation>Gaussisch</translation>
    </message>
    <message>
        <source>Output values</source>
        <translation>Uitvoerwaarden</translation>
    </message>
    <message>
        <source>Raw kernel sum</source>
        <translation>Ruwe kernsom</translation>
    </message>
    <message>
        <source>As QGIS's Heatmap</source>
        <translation>Zoals Heatmap van QGIS</translation>
    </message>
    <message>
        <source>Points per km²</source>
        <translation>Punten per km²</translation>
    </message>
    <message>
        <source>Decay ratio (triangular kernel)</source>
        <translation>Afnameverhouding (driehoekige kern)</translation>
    </message>
    <message>
        <source>Pixel placement</source>
        <translation>Pixelplaatsing</translation>
    </message>
    <message>
        <source>Exact (pixel centres)</source>
        <translation>Exact (pixelmiddelpunten)</translation>
    </message>
    <message>
        <source>Method</source>
        <translation>Methode</translation>
    </message>
    <message>
        <source>Exact sum</source>
        <translation>Exacte som</translation>
    </message>
    <message>
        <source>Binned (faster, approximate)</source>
        <translation>Gebind (sneller, benadering)</translation>
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
        <source>Mask (study area)</source>
        <translation>Masker (studiegebied)</translation>
    </message>
    <message>
        <source>Weight field</source>
        <translation>Gewichtsveld</translation>
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
        <source>%1 points used; %2 × %3 pixels</source>
        <translation>%1 punten gebruikt; %2 × %3 pixels</translation>
    </message>
</context>
<context>
    <name>KmeansAlgorithm</name>
    <message>
        <source>K-means clustering</source>
        <translation>K-means-clustering</translation>
    </message>
    <message>
        <source>Clustering</source>
        <translation>Clustering</translation>
    </message>
    <message>
        <source>kmeans,k-means,cluster,areas,partition</source>
        <translation>kmeans,k-means,cluster,gebieden,verdeling</translation>
    </message>
    <message>
        <source>Splits all points into exactly &lt;i&gt;k&lt;/i&gt; groups around centres (Lloyd's k-means with k-means++ seeding, Arthur &amp; Vassilvitskii 2007), e.g. to share out addresses among k teams. Every point belongs to a group (no noise). The seed makes the result reproducible; the best of several restarts is kept.</source>
        <translation>Verdeelt alle punten in precies &lt;i&gt;k&lt;/i&gt; groepen rond middelpunten (k-means van Lloyd met k-means++-start, Arthur &amp; Vassilvitskii 2007), bijv. om adressen over k teams te verdelen. Elk punt hoort bij een groep (geen ruis). De seed maakt de uitkomst herhaalbaar; de beste van meerdere herstarts wordt gehouden.</translation>
    </message>
    <message>
        <source>Number of clusters (k)</source>
        <translation>Aantal clusters (k)</translation>
    </message>
    <message>
        <source>Random seed</source>
        <translation>Startwaarde toeval (seed)</translation>
    </message>
    <message>
        <source>Restarts</source>
        <translation>Herstarts</translation>
    </message>
    <message>
        <source>Maximum iterations</source>
        <translation>Maximum aantal iteraties</translation>
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
        <source>Inertia %1 m², %2 iterations</source>
        <translation>Inertie %1 m², %2 iteraties</translation>
    </message>
</context>
<context>
    <name>LocalMoranAlgorithm</name>
    <message>
        <source>Clusters and outliers (local Moran's I)</source>
        <translation>Clusters en uitschieters (lokale Moran’s I)</translation>
    </message>
    <message>
        <source>Hot spots</source>
        <translation>Hotspots</translation>
    </message>
    <message>
        <source>lisa,moran,cluster,outlier,statistics</source>
        <translation>lisa,moran,cluster,uitschieter,statistiek</translation>
    </message>
    <message>
        <source>Anselin's local Moran's I (LISA, 1995): where high values sit among high ones (HH), low among low (LL), and where a value stands out from its neighbours (HL, LH). Significance from conditional permutations, corrected for multiple testing; lisa_type NS = not significant.</source>
        <translation>Lokale Moran’s I van Anselin (LISA, 1995): waar hoge waarden tussen hoge liggen (HH), lage tussen lage (LL), en waar een waarde afsteekt tegen de buren (HL, LH). Significantie uit conditionele permutaties, gecorrigeerd voor meervoudig toetsen; lisa_type NS = niet significant.</translation>
    </message>
    <message>
        <source>Significance level</source>
        <translation>Significantieniveau</translation>
    </message>
    <message>
        <source>Random seed</source>
        <translation>Startwaarde toeval (seed)</translation>
    </message>
    <message>
        <source>Input layer</source>
        <translation>Invoerlaag</translation>
    </message>
    <message>
        <source>Value field</source>
        <translation>Waardeveld</translation>
    </message>
    <message>
        <source>Clusters and outliers</source>
        <translation>Clusters en uitschieters</translation>
    </message>
</context>
<context>
    <name>NearestNeighbourIndexAlgorithm</name>
    <message>
        <source>Average nearest neighbour (Clark-Evans)</source>
        <translation>Gemiddelde dichtstbijzijnde buur (Clark-Evans)</translation>
    </message>
    <message>
        <source>Pattern statistics</source>
        <translation>Patroonstatistiek</translation>
    </message>
    <message>
        <source>nearest,neighbour,clark,evans,ratio,cluster,dispersed,statistics</source>
        <translation>dichtstbijzijnde,buur,clark,evans,ratio,cluster,verspreid,statistiek</translation>
    </message>
    <message>
        <source>Clark &amp; Evans's (1954) nearest neighbour index: the mean distance from each point to its nearest neighbour divided by what complete spatial randomness of the same density gives. R &lt; 1 clustered, R = 1 random, R &gt; 1 dispersed (a square lattice gives 2). The answer depends on the area: give the study area in m² when it is known, otherwise the points' bounding rectangle is used.</source>
        <translation>De dichtstbijzijnde-buurindex van Clark &amp; Evans (1954): de gemiddelde afstand van elk punt tot zijn dichtstbijzijnde buur, gedeeld door wat volledig toeval bij dezelfde dichtheid geeft. R &lt; 1 geclusterd, R = 1 toevallig, R &gt; 1 verspreid (een vierkant rooster geeft 2). De uitkomst hangt sterk af van de oppervlakte: geef de oppervlakte van het onderzoeksgebied in m² als die bekend is, anders wordt de omhullende rechthoek van de punten gebruikt.</translation>
    </message>
    <message>
        <source>Study area (0 = the points' bounding rectangle)</source>
        <translation>Onderzoeksgebied (0 = omhullende rechthoek van de punten)</translation>
    </message>
    <message>
        <source>Points</source>
        <translation>Punten</translation>
    </message>
    <message>
        <source>Nearest neighbour table</source>
        <translation>Tabel dichtstbijzijnde buur</translation>
    </message>
    <message>
        <source>Nearest neighbour ratio</source>
        <translation>Dichtstbijzijnde-buurratio</translation>
    </message>
    <message>
        <source>Observed mean distance</source>
        <translation>Waargenomen gemiddelde afstand</translation>
    </message>
    <message>
        <source>Expected mean distance</source>
        <translation>Verwachte gemiddelde afstand</translation>
    </message>
    <message>
        <source>z-score</source>
        <translation>z-score</translation>
    </message>
    <message>
        <source>p-value</source>
        <translation>p-waarde</translation>
    </message>
    <message>
        <source>R = %1 (observed %2 m, expected %3 m, area %4 m²), z = %5, p = %6</source>
        <translation>R = %1 (waargenomen %2 m, verwacht %3 m, oppervlakte %4 m²), z = %5, p = %6</translation>
    </message>
</context>
<context>
    <name>OptimizedHotSpotsAlgorithm</name>
    <message>
        <source>Optimized hot spots of incidents</source>
        <translation>Geoptimaliseerde hotspots van incidenten</translation>
    </message>
    <message>
        <source>Hot spots</source>
        <translation>Hotspots</translation>
    </message>
    <message>
        <source>optimized,hotspot,gi*,grid,incidents,signalen</source>
        <translation>geoptimaliseerd,hotspot,gi*,raster,incidenten,signalen</translation>
    </message>
    <message>
        <source>From incident points straight to hot spots, choosing the parameters from the data as ArcGIS's Optimized Hot Spot Analysis does: a cell size from the points' spacing, counts per cell, the distance band at the first peak of spatial autocorrelation, then Gi* with FDR-corrected bins. Every choice is written to the log.</source>
        <translation>Van incidentpunten rechtstreeks naar hotspots, met parameters gekozen uit de data zoals Optimized Hot Spot Analysis van ArcGIS: een celgrootte uit de onderlinge afstand van de punten, aantallen per cel, de afstandsband bij de eerste piek van ruimtelijke autocorrelatie, dan Gi* met FDR-gecorrigeerde klassen. Elke keuze komt in het log.</translation>
    </message>
    <message>
        <source>Cell shape</source>
        <translation>Celvorm</translation>
    </message>
    <message>
        <source>Square</source>
        <translation>Vierkant</translation>
    </message>
    <message>
        <source>Hexagon (pointy top)</source>
        <translation>Zeshoek (punt boven)</translation>
    </message>
    <message>
        <source>Hexagon (flat top)</source>
        <translation>Zeshoek (vlak boven)</translation>
    </message>
    <message>
        <source>Cell size (0 = from the data)</source>
        <translation>Celgrootte (0 = uit de data)</translation>
    </message>
    <message>
        <source>Distance bands tested</source>
        <translation>Geteste afstandsbanden</translation>
    </message>
    <message>
        <source>Random seed</source>
        <translation>Startwaarde toeval (seed)</translation>
    </message>
    <message>
        <source>Incident points</source>
        <translation>Incidentpunten</translation>
    </message>
    <message>
        <source>Mask (study area)</source>
        <translation>Masker (studiegebied)</translation>
    </message>
    <message>
        <source>Cell size</source>
        <translation>Celgrootte</translation>
    </message>
    <message>
        <source>Distance band</source>
        <translation>Afstandsband</translation>
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
    <name>PolygonCountAlgorithm</name>
    <message>
        <source>Count points in polygons</source>
        <translation>Punten tellen in polygonen</translation>
    </message>
    <message>
        <source>Aggregation</source>
        <translation>Aggregatie</translation>
    </message>
    <message>
        <source>count,polygon,rate,bedrijventerrein,buurt,incidenten</source>
        <translation>tellen,polygoon,ratio,bedrijventerrein,buurt,incidenten</translation>
    </message>
    <message>
        <source>Counts points (or sums a weight) in each polygon, e.g. incidents per business park or signals per neighbourhood, and the count per hectare. A point on a shared boundary counts in every polygon that covers it, only in the first one, or in none (interior only).</source>
        <translation>Telt punten (of somt een gewicht) in elke polygoon, bijv. incidenten per bedrijventerrein of signalen per buurt, en het aantal per hectare. Een punt op een gedeelde grens telt in elke polygoon die het bedekt, alleen in de eerste, of in geen (alleen binnenkant).</translation>
    </message>
    <message>
        <source>Points on a boundary</source>
        <translation>Punten op een grens</translation>
    </message>
    <message>
        <source>Count in every covering polygon</source>
        <translation>Tellen in elke bedekkende polygoon</translation>
    </message>
    <message>
        <source>Count in the first covering polygon</source>
        <translation>Tellen in de eerste bedekkende polygoon</translation>
    </message>
    <message>
        <source>Do not count (interior only)</source>
        <translation>Niet tellen (alleen binnenkant)</translation>
    </message>
    <message>
        <source>Input point layer</source>
        <translation>Invoerlaag (punten)</translation>
    </message>
    <message>
        <source>Polygons</source>
        <translation>Polygonen</translation>
    </message>
    <message>
        <source>Weight field</source>
        <translation>Gewichtsveld</translation>
    </message>
    <message>
        <source>Polygon counts</source>
        <translation>Aantallen per polygoon</translation>
    </message>
    <message>
        <source>%1 points fell in no polygon</source>
        <translation>%1 punten vielen in geen enkele polygoon</translation>
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
    <name>RipleyKAlgorithm</name>
    <message>
        <source>Multi-distance clustering (Ripley's K)</source>
        <translation>Clustering over afstanden (Ripley's K)</translation>
    </message>
    <message>
        <source>Pattern statistics</source>
        <translation>Patroonstatistiek</translation>
    </message>
    <message>
        <source>ripley,k,l,function,multi-distance,cluster,envelope,statistics</source>
        <translation>ripley,k,l,functie,afstanden,cluster,envelop,statistiek</translation>
    </message>
    <message>
        <source>Ripley's K and Besag's L function (Ripley 1976; Besag 1977): at which distances are points more clustered than complete spatial randomness? L(d) = d under randomness; an observed L above the envelope of simulated random patterns (99 simulations ≈ 2% significance per distance) means clustering at that distance. One table row per distance: afstand, k, l, l_min_d, envelope_laag, envelope_hoog. The study area is a rectangle (default: the points' bounding rectangle); Ripley's isotropic edge correction is exact for it.</source>
        <translation>Ripley's K- en Besags L-functie (Ripley 1976; Besag 1977): op welke afstanden liggen punten meer geclusterd dan bij volledig toeval? Bij toeval is L(d) = d; een waargenomen L boven de envelop van gesimuleerde toevalspatronen (99 simulaties ≈ 2% significantie per afstand) betekent clustering op die afstand. Eén tabelrij per afstand: afstand, k, l, l_min_d, envelope_laag, envelope_hoog. Het onderzoeksgebied is een rechthoek (standaard de omhullende rechthoek van de punten); Ripley's isotrope randcorrectie is daarvoor exact.</translation>
    </message>
    <message>
        <source>Number of distances</source>
        <translation>Aantal afstanden</translation>
    </message>
    <message>
        <source>Distances, comma separated (empty = equal steps)</source>
        <translation>Afstanden, gescheiden door komma's (leeg = gelijke stappen)</translation>
    </message>
    <message>
        <source>Edge correction</source>
        <translation>Randcorrectie</translation>
    </message>
    <message>
        <source>None</source>
        <translation>Geen</translation>
    </message>
    <message>
        <source>Ripley's isotropic</source>
        <translation>Ripley's isotrope</translation>
    </message>
    <message>
        <source>Random simulations for the envelope (0 = none)</source>
        <translation>Toevalssimulaties voor de envelop (0 = geen)</translation>
    </message>
    <message>
        <source>Random seed</source>
        <translation>Startwaarde toeval (seed)</translation>
    </message>
    <message>
        <source>Points</source>
        <translation>Punten</translation>
    </message>
    <message>
        <source>Study area (empty = the points' bounding rectangle)</source>
        <translation>Onderzoeksgebied (leeg = omhullende rechthoek van de punten)</translation>
    </message>
    <message>
        <source>Ripley's K table</source>
        <translation>Tabel Ripley's K</translation>
    </message>
    <message>
        <source>Distance '%1' is not a number</source>
        <translation>Afstand '%1' is geen getal</translation>
    </message>
    <message>
        <source>%1 distances over a study area of %2 m²</source>
        <translation>%1 afstanden over een onderzoeksgebied van %2 m²</translation>
    </message>
    <message>
        <source>L(d) − d chart</source>
        <translation>Grafiek L(d) − d</translation>
    </message>
    <message>
        <source>HTML files (*.html *.htm)</source>
        <translation>HTML-bestanden (*.html *.htm)</translation>
    </message>
    <message>
        <source>Ripley's L(d) − d</source>
        <translation>Ripley's L(d) − d</translation>
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
    <message>
        <source>Weight field %1 not found</source>
        <translation>Gewichtsveld %1 niet gevonden</translation>
    </message>
    <message>
        <source>Feature %1 has no valid weight; it counts as 0</source>
        <translation>Object %1 heeft geen geldig gewicht; het telt als 0</translation>
    </message>
    <message>
        <source>Cluster hulls</source>
        <translation>Clusteromhullingen</translation>
    </message>
    <message>
        <source>Feature %1 has no polygon; skipped</source>
        <translation>Object %1 heeft geen polygoon; overgeslagen</translation>
    </message>
    <message>
        <source>Could not create the output %1</source>
        <translation>De uitvoer %1 kon niet worden gemaakt</translation>
    </message>
    <message>
        <source>Could not load the input %1</source>
        <translation>De invoer %1 kon niet worden geladen</translation>
    </message>
    <message>
        <source>Field %1 not found</source>
        <translation>Veld %1 niet gevonden</translation>
    </message>
    <message>
        <source>Feature %1 has no value in %2; skipped</source>
        <translation>Object %1 heeft geen waarde in %2; overgeslagen</translation>
    </message>
    <message>
        <source>Neighbours</source>
        <translation>Buren</translation>
    </message>
    <message>
        <source>Within a distance band</source>
        <translation>Binnen een afstandsband</translation>
    </message>
    <message>
        <source>K nearest neighbours</source>
        <translation>K dichtstbijzijnde buren</translation>
    </message>
    <message>
        <source>Distance band (0 = every feature gets a neighbour)</source>
        <translation>Afstandsband (0 = elk object krijgt een buur)</translation>
    </message>
    <message>
        <source>Distance band %1 m</source>
        <translation>Afstandsband %1 m</translation>
    </message>
    <message>
        <source>Permutations (0 = analytic only)</source>
        <translation>Permutaties (0 = alleen analytisch)</translation>
    </message>
    <message>
        <source>Multiple-testing correction</source>
        <translation>Correctie voor meervoudig toetsen</translation>
    </message>
    <message>
        <source>None</source>
        <translation>Geen</translation>
    </message>
    <message>
        <source>False discovery rate (FDR)</source>
        <translation>False discovery rate (FDR)</translation>
    </message>
    <message>
        <source>Bonferroni</source>
        <translation>Bonferroni</translation>
    </message>
    <message>
        <source>Cannot write %1</source>
        <translation>Kan %1 niet schrijven</translation>
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
        <translation>
            <numerusform>%n laag toegevoegd uit %1</numerusform>
            <numerusform>%n lagen toegevoegd uit %1</numerusform>
        </translation>
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