<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="de_DE">
<context>
    <name>HeatmapCanvas</name>
    <message>
        <source>Select All</source>
        <translation>Alles auswählen</translation>
    </message>
    <message>
        <source>Clear Selection</source>
        <translation>Auswahl aufheben</translation>
    </message>
    <message>
        <source>Zoom &amp;In</source>
        <translation>&amp;Vergrößern</translation>
    </message>
    <message>
        <source>Zoom &amp;Out</source>
        <translation>V&amp;erkleinern</translation>
    </message>
    <message>
        <source>&amp;Fit to Window</source>
        <translation>An &amp;Fenster anpassen</translation>
    </message>
    <message>
        <source>n/a (a score is 0)</source>
        <translation>n. v. (ein Wert ist 0)</translation>
    </message>
    <message>
        <source>Score / max</source>
        <translation>Wert / Maximum</translation>
    </message>
    <message>
        <source>Score</source>
        <translation>Wert</translation>
    </message>
    <message>
        <source>Rank</source>
        <translation>Rang</translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation>%1 von %2</translation>
    </message>
    <message>
        <source>Percentile</source>
        <translation>Perzentil</translation>
    </message>
    <message>
        <source>Parameters</source>
        <translation>Parameter</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>unbekannt</translation>
    </message>
    <message>
        <source>Precision</source>
        <translation>Genauigkeit</translation>
    </message>
    <message>
        <source>policy default</source>
        <translation>Vorgabe der Richtlinie</translation>
    </message>
    <message numerus="yes">
        <source>&lt;i&gt;and %n more tensor(s) in this cell&lt;/i&gt;</source>
        <translation>
            <numerusform>&lt;i&gt;und %n weiterer Tensor in dieser Zelle&lt;/i&gt;</numerusform><numerusform>&lt;i&gt;und %n weitere Tensoren in dieser Zelle&lt;/i&gt;</numerusform></translation>
    </message>
    <message>
        <source>Open a sensitivity map (File &gt; Open Map) or drop one here.</source>
        <translation>Eine Sensitivitätskarte öffnen (Datei &gt; Karte öffnen) oder hierher ziehen.</translation>
    </message>
</context>
<context>
    <name>HeatmapData</name>
    <message>
        <source>score / max</source>
        <translation>Wert / Maximum</translation>
    </message>
    <message>
        <source>score</source>
        <translation>Wert</translation>
    </message>
    <message>
        <source>Embeddings</source>
        <translation>Einbettungen</translation>
    </message>
    <message>
        <source>Layer %1</source>
        <translation>Schicht %1</translation>
    </message>
    <message>
        <source>Final norm</source>
        <translation>Letzte Norm</translation>
    </message>
    <message>
        <source>Other</source>
        <translation>Sonstige</translation>
    </message>
    <message>
        <source>log2(%1 / %2), each / its max</source>
        <translation>log2(%1 / %2), jeweils / Maximum</translation>
    </message>
</context>
<context>
    <name>HeatmapView</name>
    <message>
        <source>Normalise to maximum</source>
        <translation>Auf Maximum normieren</translation>
    </message>
    <message>
        <source>Zoom in (Ctrl+wheel)</source>
        <translation>Vergrößern (Strg+Mausrad)</translation>
    </message>
    <message>
        <source>Zoom out (Ctrl+wheel)</source>
        <translation>Verkleinern (Strg+Mausrad)</translation>
    </message>
    <message>
        <source>Fit</source>
        <translation>Anpassen</translation>
    </message>
    <message>
        <source>Fit to window (Ctrl+0)</source>
        <translation>An Fenster anpassen (Strg+0)</translation>
    </message>
    <message>
        <source>Show scores divided by the map's largest score</source>
        <translation>Werte geteilt durch den größten Wert der Karte zeigen</translation>
    </message>
</context>
<context>
    <name>JobRunner</name>
    <message>
        <source>unknown error</source>
        <translation>unbekannter Fehler</translation>
    </message>
</context>
<context>
    <name>JobsPanel</name>
    <message>
        <source>%1 h %2 min left</source>
        <translation>noch %1 h %2 min</translation>
    </message>
    <message>
        <source>%1 min %2 s left</source>
        <translation>noch %1 min %2 s</translation>
    </message>
    <message>
        <source>%1 s left</source>
        <translation>noch %1 s</translation>
    </message>
    <message>
        <source>No jobs running.</source>
        <translation>Keine laufenden Aufträge.</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Stop this job; nothing partial is written</source>
        <translation>Diesen Auftrag anhalten; nichts Halbfertiges wird geschrieben</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>Wird abgebrochen…</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>TaskQuant Studio</source>
        <translation>TaskQuant Studio</translation>
    </message>
    <message>
        <source>Heatmap</source>
        <translation>Heatmap</translation>
    </message>
    <message>
        <source>Fisher vs Magnitude</source>
        <translation>Fisher gegen Betrag</translation>
    </message>
    <message>
        <source>Task Diff</source>
        <translation>Aufgabenvergleich</translation>
    </message>
    <message>
        <source>Regions</source>
        <translation>Bereiche</translation>
    </message>
    <message>
        <source>Policy</source>
        <translation>Richtlinie</translation>
    </message>
    <message>
        <source>Project</source>
        <translation>Projekt</translation>
    </message>
    <message>
        <source>Jobs</source>
        <translation>Aufträge</translation>
    </message>
    <message>
        <source>Job cancelled; nothing was written.</source>
        <translation>Auftrag abgebrochen; nichts wurde geschrieben.</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Datei</translation>
    </message>
    <message>
        <source>Open &amp;Model Directory…</source>
        <translation>&amp;Modellverzeichnis öffnen…</translation>
    </message>
    <message>
        <source>Open Model Directory</source>
        <translation>Modellverzeichnis öffnen</translation>
    </message>
    <message>
        <source>&amp;Open Map(s)…</source>
        <translation>Karte(n) ö&amp;ffnen…</translation>
    </message>
    <message>
        <source>Open Sensitivity Maps</source>
        <translation>Sensitivitätskarten öffnen</translation>
    </message>
    <message>
        <source>Sensitivity maps (*.json);;All files (*)</source>
        <translation>Sensitivitätskarten (*.json);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>Open &amp;Recent</source>
        <translation>&amp;Zuletzt geöffnet</translation>
    </message>
    <message>
        <source>&amp;Load Policy…</source>
        <translation>Richtlinie &amp;laden…</translation>
    </message>
    <message>
        <source>Load Policy</source>
        <translation>Richtlinie laden</translation>
    </message>
    <message>
        <source>Policies (*.json)</source>
        <translation>Richtlinien (*.json)</translation>
    </message>
    <message>
        <source>Load %1</source>
        <translation>%1 laden</translation>
    </message>
    <message>
        <source>&amp;Save Policy…</source>
        <translation>Richtlinie &amp;speichern…</translation>
    </message>
    <message>
        <source>Save Policy</source>
        <translation>Richtlinie speichern</translation>
    </message>
    <message>
        <source>Export &amp;Plot…</source>
        <translation>&amp;Diagramm exportieren…</translation>
    </message>
    <message>
        <source>Export Plot</source>
        <translation>Diagramm exportieren</translation>
    </message>
    <message>
        <source>Export &amp;CSV…</source>
        <translation>&amp;CSV exportieren…</translation>
    </message>
    <message>
        <source>Export CSV</source>
        <translation>CSV exportieren</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>CSV-Dateien (*.csv)</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>&amp;Bearbeiten</translation>
    </message>
    <message>
        <source>&amp;Undo</source>
        <translation>&amp;Rückgängig</translation>
    </message>
    <message>
        <source>&amp;Redo</source>
        <translation>&amp;Wiederholen</translation>
    </message>
    <message>
        <source>Set &amp;Precision of Selection</source>
        <translation>&amp;Genauigkeit der Auswahl setzen</translation>
    </message>
    <message>
        <source>Clear &amp;Selection</source>
        <translation>Auswahl &amp;aufheben</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Ansicht</translation>
    </message>
    <message>
        <source>&amp;Normalise Scores to Maximum</source>
        <translation>Werte auf Maximum &amp;normieren</translation>
    </message>
    <message>
        <source>&amp;Analysis</source>
        <translation>A&amp;nalyse</translation>
    </message>
    <message>
        <source>&amp;Settings</source>
        <translation>&amp;Einstellungen</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>&amp;Sprache</translation>
    </message>
    <message>
        <source>System</source>
        <translation>System</translation>
    </message>
    <message>
        <source>The language changes at the next start.</source>
        <translation>Die Sprache wechselt beim nächsten Start.</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Hilfe</translation>
    </message>
    <message>
        <source>&amp;About TaskQuant Studio</source>
        <translation>&amp;Über TaskQuant Studio</translation>
    </message>
    <message>
        <source>About TaskQuant Studio</source>
        <translation>Über TaskQuant Studio</translation>
    </message>
    <message>
        <source>&lt;b&gt;TaskQuant Studio&lt;/b&gt; %1&lt;br&gt;Task-aware sensitivity maps and mixed-precision policies for language models.</source>
        <translation>&lt;b&gt;TaskQuant Studio&lt;/b&gt; %1&lt;br&gt;Aufgabenbezogene Sensitivitätskarten und Richtlinien gemischter Genauigkeit für Sprachmodelle.</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>(keine)</translation>
    </message>
    <message>
        <source>Clear List</source>
        <translation>Liste leeren</translation>
    </message>
    <message numerus="yes">
        <source>Reading %n map(s)</source>
        <translation>
            <numerusform>%n Karte wird gelesen</numerusform><numerusform>%n Karten werden gelesen</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>Opened %n map(s).</source>
        <translation>
            <numerusform>%n Karte geöffnet.</numerusform><numerusform>%n Karten geöffnet.</numerusform></translation>
    </message>
    <message>
        <source>Reading model directory</source>
        <translation>Modellverzeichnis wird gelesen</translation>
    </message>
    <message>
        <source>%1 — TaskQuant Studio</source>
        <translation>%1 — TaskQuant Studio</translation>
    </message>
    <message>
        <source>Open a map first.</source>
        <translation>Zuerst eine Karte öffnen.</translation>
    </message>
    <message>
        <source>Exporting %1</source>
        <translation>%1 wird exportiert</translation>
    </message>
    <message>
        <source>Wrote %1</source>
        <translation>%1 geschrieben</translation>
    </message>
    <message numerus="yes">
        <source>%n explicit precision choice(s); default %1.</source>
        <translation>
            <numerusform>%n explizite Genauigkeit; Vorgabe %1.</numerusform><numerusform>%n explizite Genauigkeiten; Vorgabe %1.</numerusform></translation>
    </message>
    <message>
        <source>Optimise</source>
        <translation>Optimieren</translation>
    </message>
    <message>
        <source>Optimal allocation at %1 bits</source>
        <translation>Optimale Verteilung bei %1 Bit</translation>
    </message>
    <message>
        <source>Optimise to %1 bits per weight</source>
        <translation>Auf %1 Bit je Gewicht optimieren</translation>
    </message>
    <message>
        <source>Save &amp;Map As…</source>
        <translation>&amp;Karte speichern unter…</translation>
    </message>
    <message>
        <source>Save Map</source>
        <translation>Karte speichern</translation>
    </message>
    <message>
        <source>Open or compute a map first.</source>
        <translation>Zuerst eine Karte öffnen oder berechnen.</translation>
    </message>
    <message>
        <source>Saving %1</source>
        <translation>Speichere %1</translation>
    </message>
</context>
<context>
    <name>MapListModel</name>
    <message>
        <source>map</source>
        <translation>Karte</translation>
    </message>
    <message>
        <source>%1, unsaved</source>
        <translation>%1, ungespeichert</translation>
    </message>
    <message>
        <source>%1 on %2, unsaved</source>
        <translation>%1 auf %2, ungespeichert</translation>
    </message>
    <message>
        <source>File</source>
        <translation>Datei</translation>
    </message>
    <message>
        <source>Method</source>
        <translation>Methode</translation>
    </message>
    <message>
        <source>Dataset</source>
        <translation>Datensatz</translation>
    </message>
    <message>
        <source>Tensors</source>
        <translation>Tensoren</translation>
    </message>
    <message>
        <source>Samples</source>
        <translation>Beispiele</translation>
    </message>
    <message>
        <source>(flat map)</source>
        <translation>(flache Karte)</translation>
    </message>
</context>
<context>
    <name>PlotExport</name>
    <message>
        <source>PNG image (*.png);;SVG drawing (*.svg);;PDF document (*.pdf)</source>
        <translation>PNG-Bild (*.png);;SVG-Zeichnung (*.svg);;PDF-Dokument (*.pdf)</translation>
    </message>
    <message>
        <source>cannot write the image</source>
        <translation>Bild kann nicht geschrieben werden</translation>
    </message>
    <message>
        <source>cannot write the PDF</source>
        <translation>PDF kann nicht geschrieben werden</translation>
    </message>
    <message>
        <source>cannot write the SVG</source>
        <translation>SVG kann nicht geschrieben werden</translation>
    </message>
    <message>
        <source>unknown image type (use .png, .svg or .pdf)</source>
        <translation>unbekannter Bildtyp (.png, .svg oder .pdf verwenden)</translation>
    </message>
</context>
<context>
    <name>PolicyEditor</name>
    <message>
        <source>Only explicit</source>
        <translation>Nur explizite</translation>
    </message>
    <message>
        <source>Filter parameters…</source>
        <translation>Parameter filtern…</translation>
    </message>
    <message>
        <source>All kinds</source>
        <translation>Alle Arten</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>Rückgängig</translation>
    </message>
    <message>
        <source>Redo</source>
        <translation>Wiederholen</translation>
    </message>
    <message>
        <source>No map open.</source>
        <translation>Keine Karte geöffnet.</translation>
    </message>
    <message numerus="yes">
        <source>%n tensor(s) with an explicit precision; others use %1.</source>
        <translation>
            <numerusform>%n Tensor mit expliziter Genauigkeit; die übrigen nutzen %1.</numerusform><numerusform>%n Tensoren mit expliziter Genauigkeit; die übrigen nutzen %1.</numerusform></translation>
    </message>
    <message>
        <source>Estimated size %1 of %2 unquantized (%3 %), %4 bits per weight on average.</source>
        <translation>Geschätzte Größe %1 von %2 unquantisiert (%3 %), im Mittel %4 Bit je Gewicht.</translation>
    </message>
    <message numerus="yes">
        <source>%n tensor(s) without a known shape are not counted (open the model directory to get them).</source>
        <translation>
            <numerusform>%n Tensor ohne bekannte Form wird nicht gezählt (Modellverzeichnis öffnen, um sie zu erhalten).</numerusform><numerusform>%n Tensoren ohne bekannte Form werden nicht gezählt (Modellverzeichnis öffnen, um sie zu erhalten).</numerusform></translation>
    </message>
    <message>
        <source> bits/weight</source>
        <translation> Bit/Gewicht</translation>
    </message>
    <message>
        <source>Average bits per weight of the block linear weights</source>
        <translation>Mittlere Bit je Gewicht der linearen Blockgewichte</translation>
    </message>
    <message>
        <source>Optimise</source>
        <translation>Optimieren</translation>
    </message>
    <message>
        <source>Choose 16, 8 or 4 bits per tensor to minimise the score-weighted quantization error within the budget (exact allocator)</source>
        <translation>16, 8 oder 4 Bit je Tensor wählen, sodass der gewichtete Quantisierungsfehler im Budget minimal ist (exakte Verteilung)</translation>
    </message>
    <message>
        <source>Budget:</source>
        <translation>Budget:</translation>
    </message>
</context>
<context>
    <name>PolicyModel</name>
    <message>
        <source>default</source>
        <translation>Vorgabe</translation>
    </message>
    <message>
        <source>Set %1 to %2</source>
        <translation>%1 auf %2 setzen</translation>
    </message>
    <message numerus="yes">
        <source>Set %n tensor(s) to %1</source>
        <translation>
            <numerusform>%n Tensor auf %1 setzen</numerusform><numerusform>%n Tensoren auf %1 setzen</numerusform></translation>
    </message>
</context>
<context>
    <name>PrecisionChoice</name>
    <message>
        <source>Keep 16-bit</source>
        <translation>16 Bit behalten</translation>
    </message>
    <message>
        <source>8-bit (int8, groups of 128)</source>
        <translation>8 Bit (int8, Gruppen zu 128)</translation>
    </message>
    <message>
        <source>4-bit (int4, groups of 128)</source>
        <translation>4 Bit (int4, Gruppen zu 128)</translation>
    </message>
    <message>
        <source>Clear precision</source>
        <translation>Genauigkeit entfernen</translation>
    </message>
</context>
<context>
    <name>PrecisionDelegate</name>
    <message>
        <source>(policy default)</source>
        <translation>(Vorgabe der Richtlinie)</translation>
    </message>
</context>
<context>
    <name>ProjectPanel</name>
    <message>
        <source>No model directory open.</source>
        <translation>Kein Modellverzeichnis geöffnet.</translation>
    </message>
    <message>
        <source>Heatmap:</source>
        <translation>Heatmap:</translation>
    </message>
    <message>
        <source>Magnitude (scatter):</source>
        <translation>Betrag (Streudiagramm):</translation>
    </message>
    <message>
        <source>Compare with (diff):</source>
        <translation>Vergleichen mit (Vergleich):</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>Modell</translation>
    </message>
    <message>
        <source>Maps</source>
        <translation>Karten</translation>
    </message>
    <message>
        <source>Policy</source>
        <translation>Richtlinie</translation>
    </message>
    <message numerus="yes">
        <source>%1&lt;br&gt;architecture: %2, %n layer(s), %3 weight file(s)</source>
        <translation>
            <numerusform>%1&lt;br&gt;Architektur: %2, %n Schicht, %3 Gewichtsdatei(en)</numerusform><numerusform>%1&lt;br&gt;Architektur: %2, %n Schichten, %3 Gewichtsdatei(en)</numerusform></translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>unbekannt</translation>
    </message>
</context>
<context>
    <name>RankShiftModel</name>
    <message>
        <source>Parameter</source>
        <translation>Parameter</translation>
    </message>
    <message>
        <source>Rank in %1</source>
        <translation>Rang in %1</translation>
    </message>
    <message>
        <source>Shift</source>
        <translation>Verschiebung</translation>
    </message>
    <message>
        <source>log2(%1 / %2)</source>
        <translation>log2(%1 / %2)</translation>
    </message>
</context>
<context>
    <name>RegionsView</name>
    <message>
        <source>Apply to Policy</source>
        <translation>Auf Richtlinie anwenden</translation>
    </message>
    <message>
        <source>Threshold method:</source>
        <translation>Schwellenmethode:</translation>
    </message>
    <message>
        <source>Tensor rank (most sensitive first)</source>
        <translation>Tensorrang (empfindlichster zuerst)</translation>
    </message>
    <message>
        <source>Score</source>
        <translation>Wert</translation>
    </message>
    <message>
        <source>Keep the tensors left of the cut at 16-bit, quantize the other block weights to 4-bit (one undo step)</source>
        <translation>Tensoren links vom Schnitt in 16 Bit behalten, die übrigen Blockgewichte auf 4 Bit quantisieren (ein Rückgängig-Schritt)</translation>
    </message>
    <message>
        <source>(no threshold methods available)</source>
        <translation>(keine Schwellenmethoden verfügbar)</translation>
    </message>
    <message>
        <source>Apply %1</source>
        <translation>%1 anwenden</translation>
    </message>
</context>
<context>
    <name>ScatterView</name>
    <message>
        <source>Magnitude score (squared L2 norm)</source>
        <translation>Betragswert (quadrierte L2-Norm)</translation>
    </message>
    <message>
        <source>Fisher score</source>
        <translation>Fisher-Wert</translation>
    </message>
    <message>
        <source>Open a Fisher map and a magnitude map of the same model</source>
        <translation>Eine Fisher- und eine Betragskarte desselben Modells öffnen</translation>
    </message>
    <message>
        <source>selected</source>
        <translation>ausgewählt</translation>
    </message>
    <message numerus="yes">
        <source>Fisher vs magnitude: Spearman ρ = %1, Kendall τ = %2 (%n tensor(s))</source>
        <translation>
            <numerusform>Fisher gegen Betrag: Spearman ρ = %1, Kendall τ = %2 (%n Tensor)</numerusform><numerusform>Fisher gegen Betrag: Spearman ρ = %1, Kendall τ = %2 (%n Tensoren)</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>; %n with a zero score not drawn</source>
        <translation>
            <numerusform>; %n mit Wert 0 nicht gezeichnet</numerusform><numerusform>; %n mit Wert 0 nicht gezeichnet</numerusform></translation>
    </message>
</context>
<context>
    <name>TaskDiffView</name>
    <message>
        <source>Tensor rank</source>
        <translation>Tensorrang</translation>
    </message>
    <message>
        <source>Score / max</source>
        <translation>Wert / Maximum</translation>
    </message>
</context>
<context>
    <name>TensorTableModel</name>
    <message>
        <source>Parameter</source>
        <translation>Parameter</translation>
    </message>
    <message>
        <source>Layer</source>
        <translation>Schicht</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Art</translation>
    </message>
    <message>
        <source>Parameters</source>
        <translation>Parameter</translation>
    </message>
    <message>
        <source>Score</source>
        <translation>Wert</translation>
    </message>
    <message>
        <source>Rank</source>
        <translation>Rang</translation>
    </message>
    <message>
        <source>Percentile</source>
        <translation>Perzentil</translation>
    </message>
    <message>
        <source>Precision</source>
        <translation>Genauigkeit</translation>
    </message>
    <message>
        <source>1 = most sensitive tensor of the map</source>
        <translation>1 = empfindlichster Tensor der Karte</translation>
    </message>
    <message>
        <source>Share of tensors whose score is at most this one's</source>
        <translation>Anteil der Tensoren, deren Wert höchstens diesem entspricht</translation>
    </message>
    <message>
        <source>Explicit precision chosen for this tensor (empty: policy default)</source>
        <translation>Für diesen Tensor gewählte Genauigkeit (leer: Vorgabe der Richtlinie)</translation>
    </message>
</context>
<context>
    <name>ThresholdCuts</name>
    <message>
        <source>no quantizable linear weights in this map</source>
        <translation>keine quantisierbaren linearen Gewichte in dieser Karte</translation>
    </message>
    <message>
        <source>%1: keep %2 of %3</source>
        <translation>%1: %2 von %3 behalten</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <source>Explore task sensitivity maps and choose per-layer precision.</source>
        <translation>Aufgabensensitivitätskarten erkunden und die Genauigkeit je Schicht wählen.</translation>
    </message>
    <message>
        <source>Model directories or map files.</source>
        <translation>Modellverzeichnisse oder Kartendateien.</translation>
    </message>
    <message>
        <source>Save a PNG of every view into &lt;dir&gt;, then quit.</source>
        <translation>Jede Ansicht als PNG in &lt;dir&gt; speichern und beenden.</translation>
    </message>
    <message>
        <source>Run Fisher on the model directory given and save PNGs of the engine dialogs and the result into &lt;dir&gt;, then quit.</source>
        <translation>Fisher auf dem angegebenen Modellverzeichnis berechnen, PNGs der Engine-Dialoge und des Ergebnisses in &lt;dir&gt; speichern, dann beenden.</translation>
    </message>
    <message>
        <source>Calibration data for --engine-screenshots.</source>
        <translation>Kalibrierdaten für --engine-screenshots.</translation>
    </message>
</context>
<context>
    <name>PathField</name>
    <message>
        <source>Browse…</source>
        <translation>Durchsuchen…</translation>
    </message>
    <message>
        <source>Choose File</source>
        <translation>Datei wählen</translation>
    </message>
    <message>
        <source>Choose Destination</source>
        <translation>Ziel wählen</translation>
    </message>
    <message>
        <source>Choose Destination Directory</source>
        <translation>Zielverzeichnis wählen</translation>
    </message>
</context>
<context>
    <name>FisherDialog</name>
    <message>
        <source>(no model open)</source>
        <translation>(kein Modell geöffnet)</translation>
    </message>
    <message>
        <source>Data files (*.jsonl *.json *.txt *.raw);;All files (*)</source>
        <translation>Datendateien (*.jsonl *.json *.txt *.raw);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>Clip gradient norms at percentile</source>
        <translation>Gradientennormen kappen beim Perzentil</translation>
    </message>
    <message>
        <source>One sample per step (the study's loop; batched gives the same scores)</source>
        <translation>Ein Beispiel pro Schritt (Schleife der Studie; gebündelt ergibt dieselben Werte)</translation>
    </message>
    <message>
        <source>Sensitivity maps (*.json)</source>
        <translation>Sensitivitätskarten (*.json)</translation>
    </message>
    <message>
        <source>Run Fisher</source>
        <translation>Fisher berechnen</translation>
    </message>
    <message>
        <source>GSM8K (JSON Lines, question)</source>
        <translation>GSM8K (JSON Lines, question)</translation>
    </message>
    <message>
        <source>MATH (JSON Lines, problem)</source>
        <translation>MATH (JSON Lines, problem)</translation>
    </message>
    <message>
        <source>WikiText (raw text)</source>
        <translation>WikiText (Rohtext)</translation>
    </message>
    <message>
        <source>JSON Lines (field below)</source>
        <translation>JSON Lines (Feld unten)</translation>
    </message>
    <message>
        <source>Plain text (one sample per paragraph)</source>
        <translation>Klartext (ein Beispiel pro Absatz)</translation>
    </message>
    <message>
        <source>text field of each JSON line</source>
        <translation>Textfeld jeder JSON-Zeile</translation>
    </message>
    <message>
        <source> tokens</source>
        <translation> Tokens</translation>
    </message>
    <message>
        <source>optional: keep the map in memory only</source>
        <translation>optional: Karte nur im Speicher behalten</translation>
    </message>
    <message>
        <source>Model:</source>
        <translation>Modell:</translation>
    </message>
    <message>
        <source>Dataset kind:</source>
        <translation>Datensatzart:</translation>
    </message>
    <message>
        <source>Data file:</source>
        <translation>Datendatei:</translation>
    </message>
    <message>
        <source>JSON field:</source>
        <translation>JSON-Feld:</translation>
    </message>
    <message>
        <source>Samples:</source>
        <translation>Beispiele:</translation>
    </message>
    <message>
        <source>Max length:</source>
        <translation>Maximale Länge:</translation>
    </message>
    <message>
        <source>Seed:</source>
        <translation>Seed:</translation>
    </message>
    <message>
        <source>Clipping:</source>
        <translation>Kappung:</translation>
    </message>
    <message>
        <source>Device:</source>
        <translation>Gerät:</translation>
    </message>
    <message>
        <source>Save map to:</source>
        <translation>Karte speichern unter:</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>Starten</translation>
    </message>
</context>
<context>
    <name>MagnitudeDialog</name>
    <message>
        <source>Divide by the parameter count</source>
        <translation>Durch die Parameterzahl teilen</translation>
    </message>
    <message>
        <source>Sensitivity maps (*.json)</source>
        <translation>Sensitivitätskarten (*.json)</translation>
    </message>
    <message>
        <source>Run Magnitude</source>
        <translation>Magnitude berechnen</translation>
    </message>
    <message>
        <source>Squared L2 norm (the study's)</source>
        <translation>Quadrierte L2-Norm (wie in der Studie)</translation>
    </message>
    <message>
        <source>L1 norm</source>
        <translation>L1-Norm</translation>
    </message>
    <message>
        <source>optional: keep the map in memory only</source>
        <translation>optional: Karte nur im Speicher behalten</translation>
    </message>
    <message>
        <source>Model:</source>
        <translation>Modell:</translation>
    </message>
    <message>
        <source>Norm:</source>
        <translation>Norm:</translation>
    </message>
    <message>
        <source>Save map to:</source>
        <translation>Karte speichern unter:</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>Starten</translation>
    </message>
</context>
<context>
    <name>EvaluateDialog</name>
    <message>
        <source>Text files (*.txt *.raw);;All files (*)</source>
        <translation>Textdateien (*.txt *.raw);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>Evaluate Policy</source>
        <translation>Richtlinie bewerten</translation>
    </message>
    <message>
        <source> tokens</source>
        <translation> Tokens</translation>
    </message>
    <message>
        <source>all</source>
        <translation>alle</translation>
    </message>
    <message>
        <source>Model:</source>
        <translation>Modell:</translation>
    </message>
    <message>
        <source>Policy:</source>
        <translation>Richtlinie:</translation>
    </message>
    <message numerus="yes">
        <source>%n explicit choice(s); default %1</source>
        <translation>
            <numerusform>%n explizite Wahl; Standard %1</numerusform><numerusform>%n explizite Wahlen; Standard %1</numerusform></translation>
    </message>
    <message>
        <source>Text file:</source>
        <translation>Textdatei:</translation>
    </message>
    <message>
        <source>Context length:</source>
        <translation>Kontextlänge:</translation>
    </message>
    <message>
        <source>Max windows:</source>
        <translation>Maximale Fenster:</translation>
    </message>
    <message>
        <source>Device:</source>
        <translation>Gerät:</translation>
    </message>
    <message>
        <source>Evaluate</source>
        <translation>Bewerten</translation>
    </message>
</context>
<context>
    <name>ExportDialog</name>
    <message>
        <source>Export Quantized Model</source>
        <translation>Quantisiertes Modell exportieren</translation>
    </message>
    <message>
        <source>GGUF file (llama.cpp)</source>
        <translation>GGUF-Datei (llama.cpp)</translation>
    </message>
    <message>
        <source>safetensors directory (transformers)</source>
        <translation>safetensors-Verzeichnis (transformers)</translation>
    </message>
    <message>
        <source>llama.cpp tensor-type file (llama-quantize)</source>
        <translation>llama.cpp-Tensortyp-Datei (llama-quantize)</translation>
    </message>
    <message numerus="yes">
        <source>%n tensor(s) with an explicit precision from the policy editor; every other tensor gets the default scheme.</source>
        <translation>
            <numerusform>%n Tensor mit expliziter Genauigkeit aus dem Richtlinien-Editor; alle anderen Tensoren erhalten das Standardschema.</numerusform><numerusform>%n Tensoren mit expliziter Genauigkeit aus dem Richtlinien-Editor; alle anderen Tensoren erhalten das Standardschema.</numerusform></translation>
    </message>
    <message>
        <source>Model:</source>
        <translation>Modell:</translation>
    </message>
    <message>
        <source>Format:</source>
        <translation>Format:</translation>
    </message>
    <message>
        <source>Destination:</source>
        <translation>Ziel:</translation>
    </message>
    <message>
        <source>Default scheme:</source>
        <translation>Standardschema:</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>Exportieren</translation>
    </message>
    <message>
        <source>GGUF files (*.gguf)</source>
        <translation>GGUF-Dateien (*.gguf)</translation>
    </message>
    <message>
        <source>Text files (*.txt)</source>
        <translation>Textdateien (*.txt)</translation>
    </message>
</context>
<context>
    <name>EvaluationResultDialog</name>
    <message>
        <source>Policy Evaluation</source>
        <translation>Bewertung der Richtlinie</translation>
    </message>
    <message>
        <source>Variant</source>
        <translation>Variante</translation>
    </message>
    <message>
        <source>Size (MB)</source>
        <translation>Größe (MB)</translation>
    </message>
    <message>
        <source>Bits/weight</source>
        <translation>Bits/Gewicht</translation>
    </message>
    <message>
        <source>PPL</source>
        <translation>PPL</translation>
    </message>
    <message>
        <source>KL mean</source>
        <translation>KL Mittel</translation>
    </message>
    <message>
        <source>KL p99</source>
        <translation>KL p99</translation>
    </message>
    <message>
        <source>KL max</source>
        <translation>KL Max</translation>
    </message>
    <message>
        <source>Same top-1</source>
        <translation>Gleiche Top-1</translation>
    </message>
    <message>
        <source>Mean Δp</source>
        <translation>Mittleres Δp</translation>
    </message>
    <message>
        <source>RMS Δp</source>
        <translation>RMS Δp</translation>
    </message>
    <message>
        <source>baseline (unquantized)</source>
        <translation>Referenz (unquantisiert)</translation>
    </message>
    <message>
        <source>policy</source>
        <translation>Richtlinie</translation>
    </message>
    <message>
        <source>%1: %2 windows, %3 scored tokens. KL divergence, same top-1 and Δp compare the policy with the unquantized model.</source>
        <translation>%1: %2 Fenster, %3 bewertete Tokens. KL-Divergenz, gleiche Top-1 und Δp vergleichen die Richtlinie mit dem unquantisierten Modell.</translation>
    </message>
</context>
<context>
    <name>EngineActions</name>
    <message>
        <source>Wrote %1</source>
        <translation>%1 geschrieben</translation>
    </message>
    <message>
        <source>Export &amp;Quantized Model…</source>
        <translation>&amp;Quantisiertes Modell exportieren…</translation>
    </message>
    <message>
        <source>Run &amp;Fisher…</source>
        <translation>&amp;Fisher berechnen…</translation>
    </message>
    <message>
        <source>Run &amp;Magnitude…</source>
        <translation>&amp;Betrag berechnen…</translation>
    </message>
    <message>
        <source>&amp;Evaluate Policy…</source>
        <translation>Richtlinie &amp;bewerten…</translation>
    </message>
    <message>
        <source>Write the model under the current policy (open a model directory first)</source>
        <translation>Das Modell mit der aktuellen Richtlinie schreiben (zuerst ein Modellverzeichnis öffnen)</translation>
    </message>
    <message>
        <source>Task-aware Fisher information of the open model on calibration data</source>
        <translation>Aufgabenbezogene Fisher-Information des geöffneten Modells auf Kalibrierdaten</translation>
    </message>
    <message>
        <source>Weight-magnitude map of the open model</source>
        <translation>Gewichtsbetrags-Karte des geöffneten Modells</translation>
    </message>
    <message>
        <source>Perplexity, KL divergence and top-1 agreement of the current policy</source>
        <translation>Perplexität, KL-Divergenz und Top-1-Übereinstimmung der aktuellen Richtlinie</translation>
    </message>
    <message numerus="yes">
        <source>Fisher map: %n sample(s) of %1</source>
        <translation>
            <numerusform>Fisher-Karte: %n Beispiel aus %1</numerusform><numerusform>Fisher-Karte: %n Beispiele aus %1</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>Fisher map of %n tensor(s) ready; File &gt; Save Map As… keeps it.</source>
        <translation>
            <numerusform>Fisher-Karte mit %n Tensor fertig; Datei &gt; Karte speichern unter… behält sie.</numerusform><numerusform>Fisher-Karte mit %n Tensoren fertig; Datei &gt; Karte speichern unter… behält sie.</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>Fisher map of %n tensor(s) written to %1.</source>
        <translation>
            <numerusform>Fisher-Karte mit %n Tensor nach %1 geschrieben.</numerusform><numerusform>Fisher-Karte mit %n Tensoren nach %1 geschrieben.</numerusform></translation>
    </message>
    <message>
        <source>Magnitude map</source>
        <translation>Magnitude-Karte</translation>
    </message>
    <message numerus="yes">
        <source>Magnitude map of %n tensor(s) ready; File &gt; Save Map As… keeps it.</source>
        <translation>
            <numerusform>Magnitude-Karte mit %n Tensor fertig; Datei &gt; Karte speichern unter… behält sie.</numerusform><numerusform>Magnitude-Karte mit %n Tensoren fertig; Datei &gt; Karte speichern unter… behält sie.</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>Magnitude map of %n tensor(s) written to %1.</source>
        <translation>
            <numerusform>Magnitude-Karte mit %n Tensor nach %1 geschrieben.</numerusform><numerusform>Magnitude-Karte mit %n Tensoren nach %1 geschrieben.</numerusform></translation>
    </message>
    <message>
        <source>Evaluating the policy on %1</source>
        <translation>Bewerte die Richtlinie auf %1</translation>
    </message>
    <message>
        <source> (%1 MB)</source>
        <translation> (%1 MB)</translation>
    </message>
    <message numerus="yes">
        <source>; %n note(s), e.g. %1</source>
        <translation>
            <numerusform>; %n Hinweis, z. B. %1</numerusform><numerusform>; %n Hinweise, z. B. %1</numerusform></translation>
    </message>
</context>
<context>
    <name>MessageBar</name>
    <message>
        <source>Close</source>
        <translation>Schließen</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
</context>
</TS>