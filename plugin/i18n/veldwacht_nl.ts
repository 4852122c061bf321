<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="nl_NL">
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
    <message>
        <source>Presenter mode (public face)</source>
        <translation>Presentatiemodus (openbaar gezicht)</translation>
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
        <source>Source CRS (overrides the layer&apos;s)</source>
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
    <message>
        <source>Imports a layer (any QGIS layer, or a file: BAG, CBS wijk- en buurtkaart, NWB, IBIS, analysts&apos; CSV exports with ; and decimal commas) into a Veldwacht store. The target layer is recognised from the fields unless chosen; other field names can be mapped as bron=doel,bron2=doel2. Coordinates are transformed to EPSG:28992. Every problem of every row is reported; when there is any, nothing is written (one transaction). With &apos;validate only&apos; nothing is written at all. With &apos;update a register&apos; the input is the newer version of a register already in the store (BAG panden or verblijfsobjecten by bag_id, NWB wegvakken by wvk_id, CBS gemeenten/wijken/buurten by code, IBIS bedrijventerreinen by rin_nummer): rows are added, changed and removed by key instead of refusing stored keys, and the log reports what was added, changed and removed (the same as veldwacht import --update).</source>
        <translation>Importeert een laag (elke QGIS-laag, of een bestand: BAG, CBS wijk- en buurtkaart, NWB, IBIS, CSV-exports van analisten met ; en decimale komma&apos;s) in een Veldwacht-store. De doellaag wordt herkend aan de velden, tenzij gekozen; andere veldnamen kunnen worden gekoppeld als bron=doel,bron2=doel2. Coördinaten worden omgezet naar EPSG:28992. Elk probleem van elke rij wordt gemeld; is er één, dan wordt niets geschreven (één transactie). Met &apos;alleen controleren&apos; wordt helemaal niets geschreven. Met &apos;register bijwerken&apos; is de invoer de nieuwere versie van een register dat al in de opslag staat (BAG-panden of verblijfsobjecten op bag_id, NWB-wegvakken op wvk_id, CBS-gemeenten/wijken/buurten op code, IBIS-bedrijventerreinen op rin_nummer): rijen worden op sleutel toegevoegd, gewijzigd en verwijderd in plaats van bestaande sleutels te weigeren, en het logboek meldt wat er is toegevoegd, gewijzigd en verwijderd (hetzelfde als veldwacht import --update).</translation>
    </message>
    <message>
        <source>Update a register already in the store (newer version)</source>
        <translation>Een register in de opslag bijwerken (nieuwere versie)</translation>
    </message>
    <message>
        <source>Register rows added</source>
        <translation>Registerrijen toegevoegd</translation>
    </message>
    <message>
        <source>Register rows changed</source>
        <translation>Registerrijen gewijzigd</translation>
    </message>
    <message>
        <source>Register rows removed</source>
        <translation>Registerrijen verwijderd</translation>
    </message>
    <message>
        <source>Register rows unchanged</source>
        <translation>Registerrijen ongewijzigd</translation>
    </message>
    <message>
        <source>import it with the parameter &apos;Update a register already in the store (newer version)&apos; (UPDATE; veldwacht import --update)</source>
        <translation>importeer het met de parameter &apos;Een register in de opslag bijwerken (nieuwere versie)&apos; (UPDATE; veldwacht import --update)</translation>
    </message>
</context>
<context>
    <name>veldwacht::ui::IntakePanel</name>
    <message>
        <source>Intake of a report</source>
        <translation>Intake van een signaal</translation>
    </message>
    <message>
        <source>Store</source>
        <translation>Store</translation>
    </message>
    <message>
        <source>Click on the map</source>
        <translation>Klik op de kaart</translation>
    </message>
    <message>
        <source>no place yet</source>
        <translation>nog geen plaats</translation>
    </message>
    <message>
        <source>Place</source>
        <translation>Plaats</translation>
    </message>
    <message>
        <source>A category of the store, or a word for it (e.g. hennepkwekerij)</source>
        <translation>Een categorie van de store, of een woord ervoor (bijv. hennepkwekerij)</translation>
    </message>
    <message>
        <source>Category</source>
        <translation>Categorie</translation>
    </message>
    <message>
        <source>Observed at</source>
        <translation>Waargenomen op</translation>
    </message>
    <message>
        <source>When it was reported: the evening (gemeld_op)</source>
        <translation>Wanneer het is gemeld: de avond (gemeld_op)</translation>
    </message>
    <message>
        <source>Reported at (evening)</source>
        <translation>Gemeld op (avond)</translation>
    </message>
    <message>
        <source>Source type</source>
        <translation>Brontype</translation>
    </message>
    <message>
        <source>reliable</source>
        <translation>betrouwbaar</translation>
    </message>
    <message>
        <source>usually reliable</source>
        <translation>meestal betrouwbaar</translation>
    </message>
    <message>
        <source>not always reliable</source>
        <translation>niet altijd betrouwbaar</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>onbekend</translation>
    </message>
    <message>
        <source>Reliability</source>
        <translation>Betrouwbaarheid</translation>
    </message>
    <message>
        <source>Place within</source>
        <translation>Plaats tot op</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>Omschrijving</translation>
    </message>
    <message>
        <source>Save the report</source>
        <translation>Het signaal opslaan</translation>
    </message>
    <message>
        <source>Veldwacht store to write into</source>
        <translation>Veldwacht-store om in te schrijven</translation>
    </message>
    <message>
        <source>Veldwacht store (*.gpkg)</source>
        <translation>Veldwacht-store (*.gpkg)</translation>
    </message>
    <message>
        <source>%1 is not a Veldwacht store: %2</source>
        <translation>%1 is geen Veldwacht-store: %2</translation>
    </message>
    <message>
        <source>The map has no valid CRS: the place cannot be transformed to EPSG:28992</source>
        <translation>De kaart heeft geen geldig CRS: de plaats kan niet naar EPSG:28992 worden omgezet</translation>
    </message>
    <message>
        <source>QGIS %1 -&gt; EPSG:28992</source>
        <translation>QGIS %1 -&gt; EPSG:28992</translation>
    </message>
    <message>
        <source>The place cannot be transformed to EPSG:28992: %1</source>
        <translation>De plaats kan niet naar EPSG:28992 worden omgezet: %1</translation>
    </message>
    <message>
        <source>Choose the store to write into first</source>
        <translation>Kies eerst de store om in te schrijven</translation>
    </message>
    <message>
        <source>Report %1 saved in %2 (status nieuw)</source>
        <translation>Signaal %1 opgeslagen in %2 (status nieuw)</translation>
    </message>
    <message>
        <source>field &apos;%1&apos;: </source>
        <translation>veld &apos;%1&apos;: </translation>
    </message>
    <message>
        <source>Not saved: %1</source>
        <translation>Niet opgeslagen: %1</translation>
    </message>
    <message>
        <source>Veldwacht intake</source>
        <translation>Veldwacht-intake</translation>
    </message>
    <message>
        <source>Veldwacht store (.gpkg, postgresql://… or a connection)</source>
        <translation>Veldwacht-store (.gpkg, postgresql://… of een opgeslagen verbinding)</translation>
    </message>
</context>
<context>
    <name>KennissessieAlgorithm</name>
    <message>
        <source>Kennissessie export (PDF and slides)</source>
        <translation>Kennissessie exporteren (PDF en dia&apos;s)</translation>
    </message>
    <message>
        <source>Follow-up</source>
        <translation>Opvolging</translation>
    </message>
    <message>
        <source>kennissessie,ondernemers alert,presentatie,pdf,dia,slides,openbaar,public,layout</source>
        <translation>kennissessie,ondernemers alert,presentatie,pdf,dia,slides,openbaar,public,lay-out</translation>
    </message>
    <message>
        <source>Writes the Kennissessie export of a Veldwacht store into a folder: kennissessie.pdf, four A4 landscape pages (overview with the counts per area, hot spots of the masked points, the trend per category, the follow-up of reports), and kennissessie_1.png to kennissessie_4.png as 1920x1080 slides. Only layers the store classifies public are shown (build them with `veldwacht publiceer`); without them the export is refused. The period (YYYY-MM-DD, either end may be empty) limits the trend and follow-up charts. Every export and refusal is recorded in the store&apos;s audit log.</source>
        <translation>Schrijft de Kennissessie-export van een Veldwacht-store in een map: kennissessie.pdf, vier liggende A4-pagina&apos;s (overzicht met de aantallen per gebied, hotspots van de gemaskeerde punten, de trend per categorie, de opvolging van signalen), en kennissessie_1.png tot en met kennissessie_4.png als dia&apos;s van 1920x1080. Alleen lagen die de store als openbaar classificeert worden getoond (maak ze met `veldwacht publiceer`); zonder die lagen wordt de export geweigerd. De periode (JJJJ-MM-DD, elk van beide einden mag leeg zijn) beperkt de grafieken van de trend en de opvolging. Elke export en weigering wordt vastgelegd in het auditlog van de store.</translation>
    </message>
    <message>
        <source>Veldwacht store</source>
        <translation>Veldwacht-store</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>Titel</translation>
    </message>
    <message>
        <source>Subtitle (e.g. the municipality or the evening)</source>
        <translation>Ondertitel (bijv. de gemeente of de avond)</translation>
    </message>
    <message>
        <source>Period from (YYYY-MM-DD; empty = open)</source>
        <translation>Periode vanaf (JJJJ-MM-DD; leeg = open)</translation>
    </message>
    <message>
        <source>Period to (YYYY-MM-DD; empty = open)</source>
        <translation>Periode tot (JJJJ-MM-DD; leeg = open)</translation>
    </message>
    <message>
        <source>Feedback is late after (days)</source>
        <translation>Terugkoppeling is te laat na (dagen)</translation>
    </message>
    <message>
        <source>Keep the layout in the current project (with its two layers; charts in the folder)</source>
        <translation>De lay-out in het huidige project bewaren (met de twee lagen ervan; grafieken in de map)</translation>
    </message>
    <message>
        <source>Output folder</source>
        <translation>Uitvoermap</translation>
    </message>
    <message>
        <source>Kennissessie PDF</source>
        <translation>Kennissessie-PDF</translation>
    </message>
    <message>
        <source>Pages</source>
        <translation>Pagina&apos;s</translation>
    </message>
    <message>
        <source>Slides (PNG paths, ; separated)</source>
        <translation>Dia&apos;s (PNG-paden, gescheiden door ;)</translation>
    </message>
    <message>
        <source>Layers shown</source>
        <translation>Getoonde lagen</translation>
    </message>
    <message>
        <source>%1: the period ends (%2) before it starts (%3)</source>
        <translation>%1: de periode eindigt (%2) voordat die begint (%3)</translation>
    </message>
    <message>
        <source>%1: no such store &apos;%2&apos;</source>
        <translation>%1: store &apos;%2&apos; bestaat niet</translation>
    </message>
    <message>
        <source>%1: no folder given</source>
        <translation>%1: geen map opgegeven</translation>
    </message>
    <message>
        <source>%1: cannot create %2</source>
        <translation>%1: kan %2 niet maken</translation>
    </message>
    <message>
        <source>%1: there is no project to keep the layout in</source>
        <translation>%1: er is geen project om de lay-out in te bewaren</translation>
    </message>
    <message numerus="yes">
        <source>%n public layer(s) of the store loaded</source>
        <translation>
            <numerusform>%n openbare laag van de store geladen</numerusform>
            <numerusform>%n openbare lagen van de store geladen</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 pages in %2, %3 slides; layers shown: %4 (recorded in the audit log)</source>
        <translation>%1 pagina&apos;s in %2, %3 dia&apos;s; getoonde lagen: %4 (vastgelegd in het auditlog)</translation>
    </message>
    <message>
        <source>Kennissessie refused (recorded in the audit log): %1</source>
        <translation>Kennissessie geweigerd (vastgelegd in het auditlog): %1</translation>
    </message>
    <message>
        <source>%1: expected a date YYYY-MM-DD, got &apos;%2&apos;</source>
        <translation>%1: een datum JJJJ-MM-DD verwacht, maar &apos;%2&apos; gekregen</translation>
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
    <name>veldwacht::ui::PlanningPanel</name>
    <message>
        <source>Planning</source>
        <translation>Planning</translation>
    </message>
    <message>
        <source>Store</source>
        <translation>Store</translation>
    </message>
    <message>
        <source>The sites to visit: VAB, an address-check list, hot-spot cells, …</source>
        <translation>De plekken om te bezoeken: VAB, een adreslijst, hotspotcellen, …</translation>
    </message>
    <message>
        <source>Sites</source>
        <translation>Plekken</translation>
    </message>
    <message>
        <source>Numeric field giving each site&apos;s priority; none: the field prioriteit when the layer has one, else the priority below</source>
        <translation>Numeriek veld met de prioriteit van elke plek; geen: het veld prioriteit als de laag dat heeft, anders de prioriteit hieronder</translation>
    </message>
    <message>
        <source>Priority field</source>
        <translation>Prioriteitsveld</translation>
    </message>
    <message>
        <source>optional filter, e.g. status = &apos;leeg&apos;</source>
        <translation>optioneel filter, bijv. status = &apos;leeg&apos;</translation>
    </message>
    <message>
        <source>Sites filter</source>
        <translation>Filter op plekken</translation>
    </message>
    <message>
        <source>Partners</source>
        <translation>Partners</translation>
    </message>
    <message>
        <source>Period</source>
        <translation>Periode</translation>
    </message>
    <message>
        <source>Plan name</source>
        <translation>Naam van het plan</translation>
    </message>
    <message>
        <source>Plan</source>
        <translation>Plannen</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Annuleren</translation>
    </message>
    <message>
        <source>Layer</source>
        <translation>Laag</translation>
    </message>
    <message>
        <source>Site</source>
        <translation>Plek</translation>
    </message>
    <message>
        <source>Priority</source>
        <translation>Prioriteit</translation>
    </message>
    <message>
        <source>Mandatory</source>
        <translation>Verplicht</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Reden</translation>
    </message>
    <message>
        <source>Visits that could not be planned, with the reason</source>
        <translation>Bezoeken die niet konden worden gepland, met de reden</translation>
    </message>
    <message>
        <source>Veldwacht store to plan on</source>
        <translation>Veldwacht-store om op te plannen</translation>
    </message>
    <message>
        <source>Veldwacht store (*.gpkg)</source>
        <translation>Veldwacht-store (*.gpkg)</translation>
    </message>
    <message>
        <source>%1 is not a Veldwacht store with a partners layer and sites</source>
        <translation>%1 is geen Veldwacht-store met een partnerlaag en plekken</translation>
    </message>
    <message>
        <source>(prioriteit, else the fixed priority)</source>
        <translation>(prioriteit, anders de vaste prioriteit)</translation>
    </message>
    <message>
        <source>Choose a Veldwacht store first</source>
        <translation>Kies eerst een Veldwacht-store</translation>
    </message>
    <message>
        <source>Choose the sites layer</source>
        <translation>Kies de laag met plekken</translation>
    </message>
    <message>
        <source>Choose at least one partner</source>
        <translation>Kies minstens één partner</translation>
    </message>
    <message>
        <source>The period ends before it starts</source>
        <translation>De periode eindigt voordat die begint</translation>
    </message>
    <message>
        <source>Give the plan a name</source>
        <translation>Geef het plan een naam</translation>
    </message>
    <message>
        <source>The Veldwacht Processing provider is not loaded</source>
        <translation>De Veldwacht-provider van Processing is niet geladen</translation>
    </message>
    <message>
        <source>Planning…</source>
        <translation>Bezig met plannen…</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>Geannuleerd</translation>
    </message>
    <message>
        <source>The plan failed: %1</source>
        <translation>Het plannen is mislukt: %1</translation>
    </message>
    <message>
        <source>%1 visits on %2 routes; %3 visits could not be planned</source>
        <translation>%1 bezoeken op %2 routes; %3 bezoeken konden niet worden gepland</translation>
    </message>
    <message>
        <source>Done: the plan is in the group %1</source>
        <translation>Klaar: het plan staat in de groep %1</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>ja</translation>
    </message>
    <message>
        <source>no</source>
        <translation>nee</translation>
    </message>
    <message>
        <source>Veldwacht store: .gpkg, postgresql://… or a saved connection</source>
        <translation>Veldwacht-store: .gpkg, postgresql://… of een opgeslagen verbinding</translation>
    </message>
    <message>
        <source>%1 is not a Veldwacht store: %2</source>
        <translation>%1 is geen Veldwacht-store: %2</translation>
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
    <name>RouteCards</name>
    <message>
        <source>Table %1 has no field %2 (planning&apos;s result tables are expected)</source>
        <translation>Tabel %1 heeft geen veld %2 (de resultaattabellen van een planning worden verwacht)</translation>
    </message>
    <message>
        <source>The route card layout could not be built</source>
        <translation>De lay-out van de routekaart kon niet worden gemaakt</translation>
    </message>
</context>
<context>
    <name>RouteCardsAlgorithm</name>
    <message>
        <source>Route cards (PDF)</source>
        <translation>Routekaarten (PDF)</translation>
    </message>
    <message>
        <source>Planning</source>
        <translation>Planning</translation>
    </message>
    <message>
        <source>routekaart,route card,plan,schouw,pdf,atlas,layout</source>
        <translation>routekaart,route card,plan,schouw,pdf,atlas,lay-out</translation>
    </message>
    <message>
        <source>Makes the route cards of a plan in a Veldwacht store: one A4 page per partner and shift (a row of &lt;plan&gt;_routes), with a map of the route and its numbered visits, the table of stops (volgorde, aankomst, site, vaardigheid, dag/nacht), the partner, shift and date, marked VERTROUWELIJK. All pages go into one PDF. Made with a QGIS print layout and atlas.</source>
        <translation>Maakt de routekaarten van een plan in een Veldwacht-store: één A4-pagina per partner en dienst (een rij van &lt;plan&gt;_routes), met een kaart van de route en de genummerde bezoeken, de tabel van de stops (volgorde, aankomst, plek, vaardigheid, dag/nacht), de partner, de dienst en de datum, gemarkeerd VERTROUWELIJK. Alle pagina&apos;s komen in één PDF. Gemaakt met een QGIS-printlay-out en atlas.</translation>
    </message>
    <message>
        <source>Veldwacht store</source>
        <translation>Veldwacht-store</translation>
    </message>
    <message>
        <source>Plan name</source>
        <translation>Naam van het plan</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>Titel</translation>
    </message>
    <message>
        <source>Routekaart</source>
        <translation>Routekaart</translation>
    </message>
    <message>
        <source>Route cards</source>
        <translation>Routekaarten</translation>
    </message>
    <message>
        <source>PDF files (*.pdf)</source>
        <translation>PDF-bestanden (*.pdf)</translation>
    </message>
    <message>
        <source>Pages</source>
        <translation>Pagina&apos;s</translation>
    </message>
    <message>
        <source>&apos;%1&apos; is not a plan name (lower-case letters, digits and _)</source>
        <translation>&apos;%1&apos; is geen plannaam (kleine letters, cijfers en _)</translation>
    </message>
    <message>
        <source>The store %1 has no plan &apos;%2&apos; (tables %2_routes and %2_bezoeken); make it with veldwacht plan</source>
        <translation>De store %1 heeft geen plan &apos;%2&apos; (tabellen %2_routes en %2_bezoeken); maak het met veldwacht plan</translation>
    </message>
    <message>
        <source>The plan &apos;%1&apos; has no routes</source>
        <translation>Het plan &apos;%1&apos; heeft geen routes</translation>
    </message>
    <message>
        <source>Nr</source>
        <translation>Nr</translation>
    </message>
    <message>
        <source>Aankomst</source>
        <translation>Aankomst</translation>
    </message>
    <message>
        <source>Plek</source>
        <translation>Plek</translation>
    </message>
    <message>
        <source>Vaardigheid</source>
        <translation>Vaardigheid</translation>
    </message>
    <message>
        <source>Dag/nacht</source>
        <translation>Dag/nacht</translation>
    </message>
    <message>
        <source>VERTROUWELIJK — alleen voor de partner op deze route. Gemaakt met Veldwacht, plan %1, [% format_date(now(), &apos;dd-MM-yyyy HH:mm&apos;) %]. Kaart %2 van %3.</source>
        <translation>VERTROUWELIJK — alleen voor de partner op deze route. Gemaakt met Veldwacht, plan %1, [% format_date(now(), &apos;dd-MM-yyyy HH:mm&apos;) %]. Kaart %2 van %3.</translation>
    </message>
    <message>
        <source>Route %1 / %2 has %3 stops; the card lists the first %4</source>
        <translation>Route %1 / %2 heeft %3 stops; de kaart toont de eerste %4</translation>
    </message>
    <message>
        <source>The route cards could not be exported to %1: %2</source>
        <translation>De routekaarten konden niet naar %1 worden geëxporteerd: %2</translation>
    </message>
    <message>
        <source>%1 route card(s) written to %2</source>
        <translation>%1 routekaart(en) geschreven naar %2</translation>
    </message>
</context>
<context>
    <name>veldwacht::ui::RoutePanel</name>
    <message>
        <source>Route between two points</source>
        <translation>Route tussen twee punten</translation>
    </message>
    <message>
        <source>Store</source>
        <translation>Store</translation>
    </message>
    <message>
        <source>car (auto)</source>
        <translation>auto</translation>
    </message>
    <message>
        <source>tractor (landbouw)</source>
        <translation>tractor (landbouw)</translation>
    </message>
    <message>
        <source>bicycle (fiets)</source>
        <translation>fiets</translation>
    </message>
    <message>
        <source>on foot (lopen)</source>
        <translation>lopen</translation>
    </message>
    <message>
        <source>Mode</source>
        <translation>Vervoerswijze</translation>
    </message>
    <message>
        <source>fastest (time)</source>
        <translation>snelste (tijd)</translation>
    </message>
    <message>
        <source>shortest (length)</source>
        <translation>kortste (lengte)</translation>
    </message>
    <message>
        <source>Cost</source>
        <translation>Kosten</translation>
    </message>
    <message>
        <source>Max. distance to a road</source>
        <translation>Max. afstand tot een weg</translation>
    </message>
    <message>
        <source>Click start and end on the map</source>
        <translation>Klik begin en einde aan op de kaart</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>Wissen</translation>
    </message>
    <message>
        <source>Veldwacht store</source>
        <translation>Veldwacht-store</translation>
    </message>
    <message>
        <source>Veldwacht store (*.gpkg *.sqlite);;All files (*)</source>
        <translation>Veldwacht-store (*.gpkg *.sqlite);;Alle bestanden (*)</translation>
    </message>
    <message>
        <source>Click the start on the map.</source>
        <translation>Klik het begin aan op de kaart.</translation>
    </message>
    <message>
        <source>The clicked point cannot be transformed to EPSG:28992 (RD New).</source>
        <translation>Het aangeklikte punt kan niet naar EPSG:28992 (RD New) worden omgezet.</translation>
    </message>
    <message>
        <source>Start at %1, %2 (RD). Click the end.</source>
        <translation>Begin op %1, %2 (RD). Klik het einde aan.</translation>
    </message>
    <message>
        <source>Choose a Veldwacht store for the route first.</source>
        <translation>Kies eerst een Veldwacht-store voor de route.</translation>
    </message>
    <message>
        <source>Store not found: %1</source>
        <translation>Store niet gevonden: %1</translation>
    </message>
    <message>
        <source>The route runner returned no route.</source>
        <translation>De routeberekening heeft geen route opgeleverd.</translation>
    </message>
    <message>
        <source>Route (%1): %2, %3</source>
        <translation>Route (%1): %2, %3</translation>
    </message>
    <message>
        <source>The route (%1, %2) could not be drawn in the layer &quot;%3&quot;: %4</source>
        <translation>De route (%1, %2) kon niet worden getekend in de laag &quot;%3&quot;: %4</translation>
    </message>
    <message>
        <source>the layer refused the feature</source>
        <translation>de laag weigerde het object</translation>
    </message>
    <message>
        <source>Veldwacht store (.gpkg, postgresql://… or a connection)</source>
        <translation>Veldwacht-store (.gpkg, postgresql://… of een opgeslagen verbinding)</translation>
    </message>
</context>
<context>
    <name>veldwacht::plugin::SaveMapGuard</name>
    <message>
        <source>presenter mode is on: the public face goes out through the Kennissessie export (Veldwacht menu), which checks and records it</source>
        <translation>de presentatiemodus staat aan: het openbare gezicht gaat naar buiten via Kennissessie exporteren (menu Veldwacht), dat het controleert en vastlegt</translation>
    </message>
    <message>
        <source>Veldwacht</source>
        <translation>Veldwacht</translation>
    </message>
    <message>
        <source>the saved map shows confidential layers (%1): it is confidential, do not show it in public; recorded in the audit log</source>
        <translation>de opgeslagen kaart toont vertrouwelijke lagen (%1): de kaart is vertrouwelijk, toon die niet in het openbaar; vastgelegd in het auditlog</translation>
    </message>
    <message>
        <source>%1 refused: %2</source>
        <translation>%1 geweigerd: %2</translation>
    </message>
    <message>
        <source>not recorded in the audit log: %1</source>
        <translation>niet vastgelegd in het auditlog: %1</translation>
    </message>
</context>
<context>
    <name>StatusAlgorithm</name>
    <message>
        <source>Change a signal&apos;s follow-up status</source>
        <translation>De opvolgstatus van een signaal wijzigen</translation>
    </message>
    <message>
        <source>Follow-up</source>
        <translation>Opvolging</translation>
    </message>
    <message>
        <source>status,opvolging,terugkoppeling,feedback,signaal,follow-up</source>
        <translation>status,opvolging,terugkoppeling,feedback,signaal,follow-up</translation>
    </message>
    <message>
        <source>Moves a signal of a Veldwacht store along its status path (nieuw -&gt; in_behandeling -&gt; doorgezet -&gt; afgesloten or ongegrond; afgesloten and ongegrond are final) and/or records feedback to its reporter (terugkoppeling and its date). Every change is written to signalen, the follow-up history (veldwacht_opvolging) and the audit log in one transaction, as `veldwacht status` does. A jump the path does not allow is refused with the allowed next statuses.</source>
        <translation>Brengt een signaal van een Veldwacht-store verder op zijn statuspad (nieuw -&gt; in_behandeling -&gt; doorgezet -&gt; afgesloten of ongegrond; afgesloten en ongegrond zijn eindstatussen) en/of legt terugkoppeling aan de melder vast (terugkoppeling en de datum daarvan). Elke wijziging wordt in één transactie geschreven naar signalen, de opvolggeschiedenis (veldwacht_opvolging) en het auditlog, zoals `veldwacht status` dat doet. Een sprong die het pad niet toestaat wordt geweigerd, met de toegestane volgende statussen.</translation>
    </message>
    <message>
        <source>Veldwacht store</source>
        <translation>Veldwacht-store</translation>
    </message>
    <message>
        <source>Signal (signaal_id)</source>
        <translation>Signaal (signaal_id)</translation>
    </message>
    <message>
        <source>(unchanged: feedback only)</source>
        <translation>(ongewijzigd: alleen terugkoppeling)</translation>
    </message>
    <message>
        <source>New status</source>
        <translation>Nieuwe status</translation>
    </message>
    <message>
        <source>Feedback to the reporter</source>
        <translation>Terugkoppeling aan de melder</translation>
    </message>
    <message>
        <source>Date of the change (YYYY-MM-DD; empty = today)</source>
        <translation>Datum van de wijziging (JJJJ-MM-DD; leeg = vandaag)</translation>
    </message>
    <message>
        <source>Status before</source>
        <translation>Status ervoor</translation>
    </message>
    <message>
        <source>Status after</source>
        <translation>Status erna</translation>
    </message>
    <message>
        <source>Feedback recorded</source>
        <translation>Terugkoppeling vastgelegd</translation>
    </message>
    <message>
        <source>%1: %2 -&gt; %3%4 (recorded in the audit log)</source>
        <translation>%1: %2 -&gt; %3%4 (vastgelegd in het auditlog)</translation>
    </message>
    <message>
        <source>; feedback recorded</source>
        <translation>; terugkoppeling vastgelegd</translation>
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
        <source>Style styles/%1 not found; the output keeps QGIS&apos;s default style</source>
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
        <source>Could not replace %1</source>
        <translation>%1 kon niet worden vervangen</translation>
    </message>
    <message>
        <source>Writing %1 with the GeoPackage writer</source>
        <translation>%1 wordt geschreven met de GeoPackage-schrijver</translation>
    </message>
    <message>
        <source>%1 features skipped</source>
        <translation>%1 objecten overgeslagen</translation>
    </message>
    <message>
        <source>Written into %1: %2</source>
        <translation>Geschreven in %1: %2</translation>
    </message>
    <message>
        <source>Written: %1</source>
        <translation>Geschreven: %1</translation>
    </message>
</context>
<context>
    <name>veldwacht::plugin::VeldwachtPlugin</name>
    <message>
        <source>Open a Veldwacht store…</source>
        <translation>Veldwacht-store openen…</translation>
    </message>
    <message>
        <source>Open a Veldwacht store on PostgreSQL…</source>
        <translation>Veldwacht-store op PostgreSQL openen…</translation>
    </message>
    <message>
        <source>Open a Veldwacht store on PostgreSQL</source>
        <translation>Een Veldwacht-store op PostgreSQL openen</translation>
    </message>
    <message>
        <source>Saved PostgreSQL connection or postgresql://…</source>
        <translation>Opgeslagen PostgreSQL-verbinding of postgresql://…</translation>
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
    <message>
        <source>Presenter mode (public face)</source>
        <translation>Presentatiemodus (openbaar gezicht)</translation>
    </message>
    <message>
        <source>Kennissessie export (PDF and slides)…</source>
        <translation>Kennissessie exporteren (PDF en dia&apos;s)…</translation>
    </message>
    <message numerus="yes">
        <source>Presenter mode on: %n layer(s) hidden and locked</source>
        <translation>
            <numerusform>Presentatiemodus aan: %n laag verborgen en vergrendeld</numerusform>
            <numerusform>Presentatiemodus aan: %n lagen verborgen en vergrendeld</numerusform>
        </translation>
    </message>
    <message>
        <source>Presenter mode off: the working view is back</source>
        <translation>Presentatiemodus uit: de werkweergave is terug</translation>
    </message>
    <message>
        <source>not recorded in the audit log: %1</source>
        <translation>niet vastgelegd in het auditlog: %1</translation>
    </message>
    <message>
        <source>no Veldwacht store to audit in</source>
        <translation>geen Veldwacht-store om in te auditen</translation>
    </message>
    <message>
        <source>Export and print refused: presenter mode is on and this layout shows confidential layers (%1). Remove them from the layout or switch presenter mode off.</source>
        <translation>Exporteren en afdrukken geweigerd: de presentatiemodus staat aan en deze lay-out toont vertrouwelijke lagen (%1). Haal ze uit de lay-out of zet de presentatiemodus uit.</translation>
    </message>
    <message>
        <source>No public layers (openbaar_*) in the project: build them with &apos;veldwacht publiceer&apos; and open the store again</source>
        <translation>Geen openbare lagen (openbaar_*) in het project: maak ze met &apos;veldwacht publiceer&apos; en open de store opnieuw</translation>
    </message>
    <message>
        <source>Kennissessie export</source>
        <translation>Kennissessie exporteren</translation>
    </message>
    <message>
        <source>PDF (*.pdf)</source>
        <translation>PDF (*.pdf)</translation>
    </message>
    <message>
        <source>Kennissessie: %1 pages in %2, %3 slides in %4</source>
        <translation>Kennissessie: %1 pagina&apos;s in %2, %3 dia&apos;s in %4</translation>
    </message>
    <message>
        <source>Kennissessie refused: %1</source>
        <translation>Kennissessie geweigerd: %1</translation>
    </message>
    <message>
        <source>Veldwacht route</source>
        <translation>Veldwacht-route</translation>
    </message>
</context>
<context>
    <name>veldwacht::plugin</name>
    <message>
        <source>Feature %1 has no finite coordinates in EPSG:28992; skipped</source>
        <translation>Object %1 heeft geen eindige coördinaten in EPSG:28992; overgeslagen</translation>
    </message>
    <message>
        <source>Feature %1 has no geometry; skipped</source>
        <translation>Object %1 heeft geen geometrie; overgeslagen</translation>
    </message>
    <message>
        <source>GeoPackage table %1 read through SQLite</source>
        <translation>GeoPackage-tabel %1 gelezen via SQLite</translation>
    </message>
    <message>
        <source>Reading %1 with GDAL directly</source>
        <translation>%1 wordt rechtstreeks met GDAL gelezen</translation>
    </message>
    <message>
        <source>Reading through QGIS&apos;s feature source (%1)</source>
        <translation>Lezen via de objectbron van QGIS (%1)</translation>
    </message>
    <message>
        <source>Read %1 points in %2 s</source>
        <translation>%1 punten gelezen in %2 s</translation>
    </message>
    <message>
        <source>Could not replace %1</source>
        <translation>%1 kon niet worden vervangen</translation>
    </message>
    <message>
        <source>Writing %1 with the GeoPackage writer</source>
        <translation>%1 wordt geschreven met de GeoPackage-schrijver</translation>
    </message>
    <message>
        <source>Wrote %1 points in %2 s</source>
        <translation>%1 punten geschreven in %2 s</translation>
    </message>
</context>
</TS>
