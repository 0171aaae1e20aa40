<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>FisherDialog</name>
    <message>
        <source>(no model open)</source>
        <translation>(kein Modell geöffnet)</translation>
    </message>
</context>
<context>
    <name>GgufTypeMenu</name>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>%1  (%2 bpw)</source>
        <translation>%1  (%2 Bit/Gewicht)</translation>
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
    <name>JobRunner</name>
    <message>
        <source>unknown error</source>
        <translation>unbekannter Fehler</translation>
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
        <translation type="vanished">Modellverzeichnisse oder Kartendateien.</translation>
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
    <message>
        <source>Model directories and result files (maps, policies, error tables, frontiers, validations, task transfers).</source>
        <translation>Modellverzeichnisse und Ergebnisdateien (Karten, Richtlinien, Fehlertabellen, Fronten, Validierungen, Aufgabentransfers).</translation>
    </message>
    <message>
        <source>Once the files given are loaded, save a picture of the window as &lt;png&gt;, then quit.</source>
        <translation>Sobald die angegebenen Dateien geladen sind, ein Bild des Fensters als &lt;png&gt; speichern und beenden.</translation>
    </message>
</context>
<context>
    <name>taskquant::studio::EngineActions</name>
    <message>
        <source>Wrote %1</source>
        <translation>%1 geschrieben</translation>
    </message>
    <message>
        <source>Export &amp;Quantized Model…</source>
        <translation type="vanished">&amp;Quantisiertes Modell exportieren…</translation>
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
            <numerusform>Fisher-Karte: %n Beispiel aus %1</numerusform>
            <numerusform>Fisher-Karte: %n Beispiele aus %1</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Fisher map of %n tensor(s) ready; File &gt; Save Map As… keeps it.</source>
        <translation>
            <numerusform>Fisher-Karte mit %n Tensor fertig; Datei &gt; Karte speichern unter… behält sie.</numerusform>
            <numerusform>Fisher-Karte mit %n Tensoren fertig; Datei &gt; Karte speichern unter… behält sie.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Fisher map of %n tensor(s) written to %1.</source>
        <translation>
            <numerusform>Fisher-Karte mit %n Tensor nach %1 geschrieben.</numerusform>
            <numerusform>Fisher-Karte mit %n Tensoren nach %1 geschrieben.</numerusform>
        </translation>
    </message>
    <message>
        <source>Magnitude map</source>
        <translation>Magnitude-Karte</translation>
    </message>
    <message numerus="yes">
        <source>Magnitude map of %n tensor(s) ready; File &gt; Save Map As… keeps it.</source>
        <translation>
            <numerusform>Magnitude-Karte mit %n Tensor fertig; Datei &gt; Karte speichern unter… behält sie.</numerusform>
            <numerusform>Magnitude-Karte mit %n Tensoren fertig; Datei &gt; Karte speichern unter… behält sie.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Magnitude map of %n tensor(s) written to %1.</source>
        <translation>
            <numerusform>Magnitude-Karte mit %n Tensor nach %1 geschrieben.</numerusform>
            <numerusform>Magnitude-Karte mit %n Tensoren nach %1 geschrieben.</numerusform>
        </translation>
    </message>
    <message>
        <source>Evaluating the policy on %1</source>
        <translation>Bewerte die Richtlinie auf %1</translation>
    </message>
    <message>
        <source> (%1 MB)</source>
        <translation type="vanished"> (%1 MB)</translation>
    </message>
    <message numerus="yes">
        <source>; %n note(s), e.g. %1</source>
        <translation>
            <numerusform>; %n Hinweis, z. B. %1</numerusform>
            <numerusform>; %n Hinweise, z. B. %1</numerusform>
        </translation>
    </message>
    <message>
        <source>E&amp;xport Quantized Model…</source>
        <translation>Quantisiertes Modell e&amp;xportieren…</translation>
    </message>
    <message>
        <source>Exporting %1</source>
        <translation>Exportiere %1</translation>
    </message>
    <message>
        <source> (%1 MiB)</source>
        <translation> (%1 MiB)</translation>
    </message>
</context>
<context>
    <name>taskquant::studio::EvaluateDialog</name>
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
            <numerusform>%n explizite Wahl; Standard %1</numerusform>
            <numerusform>%n explizite Wahlen; Standard %1</numerusform>
        </translation>
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
    <name>taskquant::studio::EvaluationResultDialog</name>
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
        <translation type="vanished">Größe (MB)</translation>
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
    <message>
        <source>Size (MiB)</source>
        <translation>Größe (MiB)</translation>
    </message>
</context>
<context>
    <name>taskquant::studio::ExportDialog</name>
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
            <numerusform>%n Tensor mit expliziter Genauigkeit aus dem Richtlinien-Editor; alle anderen Tensoren erhalten das Standardschema.</numerusform>
            <numerusform>%n Tensoren mit expliziter Genauigkeit aus dem Richtlinien-Editor; alle anderen Tensoren erhalten das Standardschema.</numerusform>
        </translation>
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
    <message>
        <source>Importance matrices (*.gguf *.dat);;All files (*)</source>
        <translation>Wichtigkeitsmatrizen (*.gguf *.dat);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>Compute it from the task data</source>
        <translation>Aus den Aufgabendaten berechnen</translation>
    </message>
    <message>
        <source>Run the imatrix engine (llama-imatrix&apos;s definition) on the calibration data of the last Fisher run, then export with it</source>
        <translation>Die Wichtigkeitsmatrix (nach llama-imatrix&apos; Definition) auf den Kalibrierdaten des letzten Fisher-Laufs berechnen und damit exportieren</translation>
    </message>
    <message>
        <source>(policy editor&apos;s choices)</source>
        <translation>(Auswahl des Richtlinien-Editors)</translation>
    </message>
    <message>
        <source>Optional: quantize the block types importance-weighted, as llama-quantize --imatrix does</source>
        <translation>Optional: die Blocktypen nach Wichtigkeit gewichtet quantisieren, wie llama-quantize --imatrix</translation>
    </message>
    <message numerus="yes">
        <source>%n of them use a TaskQuant format GGUF has no type for (substituted by Q8_0 / Q4_K in a GGUF file).</source>
        <translation>
            <numerusform>%n davon nutzt ein TaskQuant-Format ohne GGUF-Typ (in einer GGUF-Datei durch Q8_0 / Q4_K ersetzt).</numerusform>
            <numerusform>%n davon nutzen ein TaskQuant-Format ohne GGUF-Typ (in einer GGUF-Datei durch Q8_0 / Q4_K ersetzt).</numerusform>
        </translation>
    </message>
    <message>
        <source>llama.cpp mix:</source>
        <translation>llama.cpp-Mischung:</translation>
    </message>
    <message>
        <source>Importance matrix:</source>
        <translation>Wichtigkeitsmatrix:</translation>
    </message>
    <message>
        <source>Size:</source>
        <translation>Größe:</translation>
    </message>
    <message>
        <source>%1 (not GGUF)</source>
        <translation>%1 (kein GGUF)</translation>
    </message>
    <message numerus="yes">
        <source>Compute it from the task data (%1, %n sample(s))</source>
        <translation>
            <numerusform>Aus den Aufgabendaten berechnen (%1, %n Probe)</numerusform>
            <numerusform>Aus den Aufgabendaten berechnen (%1, %n Proben)</numerusform>
        </translation>
    </message>
    <message>
        <source>known once the model&apos;s layout is read</source>
        <translation>bekannt, sobald der Aufbau des Modells gelesen ist</translation>
    </message>
    <message>
        <source>GGUF file %1 MiB (%2 bytes), %3 bits per weight</source>
        <translation>GGUF-Datei %1 MiB (%2 Bytes), %3 Bit pro Gewicht</translation>
    </message>
    <message>
        <source>%1 MiB of weights, %2 bits per weight</source>
        <translation>%1 MiB Gewichte, %2 Bit pro Gewicht</translation>
    </message>
</context>
<context>
    <name>taskquant::studio::FisherDialog</name>
    <message>
        <source>(no model open)</source>
        <translation type="vanished">(kein Modell geöffnet)</translation>
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
        <source>One sample per step (the study&apos;s loop; batched gives the same scores)</source>
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
    <message>
        <source>Demo task: %1 (embedded, no file)</source>
        <translation>Demo-Aufgabe: %1 (eingebettet, keine Datei)</translation>
    </message>
</context>
<context>
    <name>taskquant::studio::FrontierActions</name>
    <message>
        <source>Compute &amp;Frontier…</source>
        <translation>&amp;Front berechnen…</translation>
    </message>
    <message>
        <source>Evaluate &amp;Current Policy on the Frontier&apos;s Task</source>
        <translation>A&amp;ktuelle Richtlinie auf der Aufgabe der Front auswerten</translation>
    </message>
    <message>
        <source>&amp;Validate Damage Model…</source>
        <translation>Schadensmodell &amp;validieren…</translation>
    </message>
    <message>
        <source>Frontier</source>
        <translation>Front</translation>
    </message>
    <message>
        <source>Damage Validation</source>
        <translation>Schadensvalidierung</translation>
    </message>
    <message>
        <source>Size-quality frontier of the open model: uniform types, llama.cpp mixes and optimal allocations evaluated on a task text</source>
        <translation>Größe-Qualität-Front des geöffneten Modells: einheitliche Typen, llama.cpp-Mischungen und optimale Zuteilungen, ausgewertet auf einem Aufgabentext</translation>
    </message>
    <message>
        <source>Measure the current policy on the frontier&apos;s task text instead of predicting it</source>
        <translation>Die aktuelle Richtlinie auf dem Aufgabentext der Front messen statt sie vorherzusagen</translation>
    </message>
    <message>
        <source>Predicted vs measured damage of single tensors (the damage model&apos;s check) for the heatmap&apos;s map</source>
        <translation>Vorhergesagter gegen gemessenen Schaden einzelner Tensoren (Prüfung des Schadensmodells) für die Karte der Heatmap</translation>
    </message>
    <message>
        <source>Export Plot</source>
        <translation>Diagramm exportieren</translation>
    </message>
    <message>
        <source>Frontier on %1</source>
        <translation>Front auf %1</translation>
    </message>
    <message numerus="yes">
        <source>Frontier of %n point(s) ready (%1 s).</source>
        <translation>
            <numerusform>Front mit %n Punkt fertig (%1 s).</numerusform>
            <numerusform>Front mit %n Punkten fertig (%1 s).</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n budget(s) infeasible (hover for the reasons): %1</source>
        <translation>
            <numerusform>%n Budget nicht erreichbar (Gründe im Tooltip): %1</numerusform>
            <numerusform>%n Budgets nicht erreichbar (Gründe im Tooltip): %1</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 windows, %2 scored tokens, %3 parameters; %4 s. Prediction scale (measured KLD / damage): %5.</source>
        <translation>%1 Fenster, %2 bewertete Tokens, %3 Parameter; %4 s. Vorhersageskala (gemessene KLD / Schaden): %5.</translation>
    </message>
    <message>
        <source>none (no measured damage)</source>
        <translation>keine (kein gemessener Schaden)</translation>
    </message>
    <message>
        <source>current policy (= %1, measured)</source>
        <translation>aktuelle Richtlinie (= %1, gemessen)</translation>
    </message>
    <message>
        <source>Evaluating the current policy on %1</source>
        <translation>Werte die aktuelle Richtlinie auf %1 aus</translation>
    </message>
    <message>
        <source>Current policy measured: KLD %1, %2 bpw.</source>
        <translation>Aktuelle Richtlinie gemessen: KLD %1, %2 Bit/Gewicht.</translation>
    </message>
    <message>
        <source>Load frontier point %1</source>
        <translation>Frontpunkt %1 laden</translation>
    </message>
    <message>
        <source>Validating the damage model at %1</source>
        <translation>Validiere das Schadensmodell bei %1</translation>
    </message>
    <message numerus="yes">
        <source>Damage model validated on %n tensor(s).</source>
        <translation>
            <numerusform>Schadensmodell an %n Tensor validiert.</numerusform>
            <numerusform>Schadensmodell an %n Tensoren validiert.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>taskquant::studio::FrontierDialog</name>
    <message>
        <source>Error-only family (the allocation without a map)</source>
        <translation>Nur-Fehler-Familie (die Zuteilung ohne Karte)</translation>
    </message>
    <message>
        <source>Weight errors by the task&apos;s activations</source>
        <translation>Fehler mit den Aktivierungen der Aufgabe gewichten</translation>
    </message>
    <message>
        <source>Compute Frontier</source>
        <translation>Front berechnen</translation>
    </message>
    <message>
        <source>Budgets of the optimal allocations in bits per weight over all parameters, comma separated</source>
        <translation>Budgets der optimalen Zuteilungen in Bit pro Gewicht über alle Parameter, durch Kommas getrennt</translation>
    </message>
    <message>
        <source>default: f16 and every GGUF type</source>
        <translation>Standard: f16 und jeder GGUF-Typ</translation>
    </message>
    <message>
        <source>Choices of the optimal allocations, e.g. f16,q8_0,q4_0</source>
        <translation>Auswahl der optimalen Zuteilungen, z. B. f16,q8_0,q4_0</translation>
    </message>
    <message>
        <source>Maps driving an optimal family</source>
        <translation>Karten, die eine optimale Familie steuern</translation>
    </message>
    <message>
        <source>(no map open: uniform types, llama.cpp mixes and error-only only)</source>
        <translation>(keine Karte geöffnet: nur einheitliche Typen, llama.cpp-Mischungen und Nur-Fehler)</translation>
    </message>
    <message>
        <source>Budgets (bits/weight):</source>
        <translation>Budgets (Bit/Gewicht):</translation>
    </message>
    <message>
        <source>Choices:</source>
        <translation>Auswahl:</translation>
    </message>
    <message>
        <source>Compute</source>
        <translation>Berechnen</translation>
    </message>
</context>
<context>
    <name>taskquant::studio::JobRunner</name>
    <message>
        <source>unknown error</source>
        <translation type="vanished">unbekannter Fehler</translation>
    </message>
    <message>
        <source>Waiting for a free worker</source>
        <translation>Warte auf einen freien Arbeiter</translation>
    </message>
    <message>
        <source>Waiting for another job using the same model</source>
        <translation>Warte auf einen anderen Auftrag mit demselben Modell</translation>
    </message>
    <message>
        <source>Done in %1 s</source>
        <translation>Fertig in %1 s</translation>
    </message>
</context>
<context>
    <name>taskquant::studio::JobsPanel</name>
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
    <message>
        <source>Clear Finished</source>
        <translation>Beendete entfernen</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>Fertig</translation>
    </message>
    <message>
        <source>Cancelled; nothing was written</source>
        <translation>Abgebrochen; nichts wurde geschrieben</translation>
    </message>
    <message>
        <source>Failed: %1</source>
        <translation>Fehlgeschlagen: %1</translation>
    </message>
</context>
<context>
    <name>taskquant::studio::LiveCostController</name>
    <message>
        <source>predicted KLD ≈ %1 (%2)</source>
        <translation>vorhergesagte KLD ≈ %1 (%2)</translation>
    </message>
    <message>
        <source>predicted KLD ≈ %1</source>
        <translation>vorhergesagte KLD ≈ %1</translation>
    </message>
    <message>
        <source>predicted damage %1 (%2, relative units)</source>
        <translation>vorhergesagter Schaden %1 (%2, relative Einheiten)</translation>
    </message>
    <message>
        <source>predicted damage %1 (relative units)</source>
        <translation>vorhergesagter Schaden %1 (relative Einheiten)</translation>
    </message>
    <message>
        <source>, measured %1</source>
        <translation>, gemessen %1</translation>
    </message>
    <message>
        <source>Reading the error table</source>
        <translation>Lese die Fehlertabelle</translation>
    </message>
    <message numerus="yes">
        <source>Error table of %n tensor(s) loaded for the damage model.</source>
        <translation>
            <numerusform>Fehlertabelle mit %n Tensor für das Schadensmodell geladen.</numerusform>
            <numerusform>Fehlertabelle mit %n Tensoren für das Schadensmodell geladen.</numerusform>
        </translation>
    </message>
    <message>
        <source>Reading the GGUF layout for live cost</source>
        <translation>Lese den GGUF-Aufbau für die Live-Kosten</translation>
    </message>
    <message>
        <source>The model has %1 M matrix weights: errors are not measured automatically; Live Cost &gt; Load Error Table… takes a `taskquant errors` table for the damage.</source>
        <translation>Das Modell hat %1 Mio. Matrixgewichte: Fehler werden nicht automatisch gemessen; Live-Kosten &gt; Fehlertabelle laden… nimmt eine Tabelle von `taskquant errors` für den Schaden.</translation>
    </message>
    <message>
        <source>Measuring quantization errors for the damage model</source>
        <translation>Messe Quantisierungsfehler für das Schadensmodell</translation>
    </message>
    <message numerus="yes">
        <source>Errors measured: %n tensor(s); predicted damage is live.</source>
        <translation>
            <numerusform>Fehler gemessen: %n Tensor; der vorhergesagte Schaden ist aktiv.</numerusform>
            <numerusform>Fehler gemessen: %n Tensoren; der vorhergesagte Schaden ist aktiv.</numerusform>
        </translation>
    </message>
    <message>
        <source>GGUF %1 (%2 bpw, %3)</source>
        <translation>GGUF %1 (%2 Bit/Gewicht, %3)</translation>
    </message>
    <message>
        <source>GGUF %1 (%2 bpw)</source>
        <translation>GGUF %1 (%2 Bit/Gewicht)</translation>
    </message>
    <message>
        <source> · predicted damage %1 (%2)</source>
        <translation> · vorhergesagter Schaden %1 (%2)</translation>
    </message>
    <message>
        <source> · predicted damage %1</source>
        <translation> · vorhergesagter Schaden %1</translation>
    </message>
    <message>
        <source>Open a model directory to see the size and predicted damage of the policy while you edit it.</source>
        <translation>Öffnen Sie ein Modellverzeichnis, um Größe und vorhergesagten Schaden der Richtlinie beim Bearbeiten zu sehen.</translation>
    </message>
    <message>
        <source>GGUF file</source>
        <translation>GGUF-Datei</translation>
    </message>
    <message>
        <source>%1 (%2 bytes)</source>
        <translation>%1 (%2 Bytes)</translation>
    </message>
    <message>
        <source>Bits per weight</source>
        <translation>Bit pro Gewicht</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>Last edit</source>
        <translation>Letzte Änderung</translation>
    </message>
    <message>
        <source>Policy estimate</source>
        <translation>Schätzung der Richtlinie</translation>
    </message>
    <message>
        <source>%1 of %2 at %3 (%4 bpw)</source>
        <translation>%1 von %2 bei %3 (%4 Bit/Gewicht)</translation>
    </message>
    <message>
        <source>Predicted damage</source>
        <translation>Vorhergesagter Schaden</translation>
    </message>
    <message>
        <source>%1 (%2 since the last edit)</source>
        <translation>%1 (%2 seit der letzten Änderung)</translation>
    </message>
    <message numerus="yes">
        <source>%n tensor(s) counted</source>
        <translation>
            <numerusform>%n Tensor gezählt</numerusform>
            <numerusform>%n Tensoren gezählt</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>; %n without a measured error at their type</source>
        <translation>
            <numerusform>; %n ohne gemessenen Fehler bei seinem Typ</numerusform>
            <numerusform>; %n ohne gemessenen Fehler bei ihrem Typ</numerusform>
        </translation>
    </message>
    <message>
        <source>open a sensitivity map for the scores</source>
        <translation>für die Werte eine Sensitivitätskarte öffnen</translation>
    </message>
    <message>
        <source>waiting for the measured errors (Jobs)</source>
        <translation>warte auf die gemessenen Fehler (Aufträge)</translation>
    </message>
    <message>
        <source>Update</source>
        <translation>Aktualisierung</translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation>%1 ms</translation>
    </message>
</context>
<context>
    <name>taskquant::studio::LiveCostPanel</name>
    <message>
        <source>Score</source>
        <translation>Wert</translation>
    </message>
    <message>
        <source>Chosen GGUF type</source>
        <translation>Gewählter GGUF-Typ</translation>
    </message>
    <message>
        <source>Predicted damage</source>
        <translation>Vorhergesagter Schaden</translation>
    </message>
    <message>
        <source>What the heatmap&apos;s cells are coloured by</source>
        <translation>Wonach die Zellen der Heatmap eingefärbt werden</translation>
    </message>
    <message>
        <source>Colour cells by:</source>
        <translation>Zellen färben nach:</translation>
    </message>
    <message>
        <source>Load Error Table…</source>
        <translation>Fehlertabelle laden…</translation>
    </message>
    <message>
        <source>A `taskquant errors` table (JSON) for the predicted damage, instead of the errors measured when the model opens</source>
        <translation>Eine `taskquant errors`-Tabelle (JSON) für den vorhergesagten Schaden statt der beim Öffnen gemessenen Fehler</translation>
    </message>
    <message>
        <source>Load Error Table</source>
        <translation>Fehlertabelle laden</translation>
    </message>
    <message>
        <source>Error tables (*.json)</source>
        <translation>Fehlertabellen (*.json)</translation>
    </message>
</context>
<context>
    <name>taskquant::studio::MagnitudeDialog</name>
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
        <source>Squared L2 norm (the study&apos;s)</source>
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
    <name>taskquant::studio::MainWindow</name>
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
        <translation type="vanished">Karte(n) ö&amp;ffnen…</translation>
    </message>
    <message>
        <source>Open Sensitivity Maps</source>
        <translation type="vanished">Sensitivitätskarten öffnen</translation>
    </message>
    <message>
        <source>Sensitivity maps (*.json);;All files (*)</source>
        <translation type="vanished">Sensitivitätskarten (*.json);;Alle Dateien (*)</translation>
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
            <numerusform>%n Karte wird gelesen</numerusform>
            <numerusform>%n Karten werden gelesen</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Opened %n map(s).</source>
        <translation>
            <numerusform>%n Karte geöffnet.</numerusform>
            <numerusform>%n Karten geöffnet.</numerusform>
        </translation>
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
            <numerusform>%n explizite Genauigkeit; Vorgabe %1.</numerusform>
            <numerusform>%n explizite Genauigkeiten; Vorgabe %1.</numerusform>
        </translation>
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
    <message>
        <source>The policy has unsaved edits. Save them first?</source>
        <translation>Die Richtlinie hat ungespeicherte Änderungen. Zuerst speichern?</translation>
    </message>
    <message>
        <source>No model open</source>
        <translation>Kein Modell geöffnet</translation>
    </message>
    <message>
        <source>A llama.cpp mix is chosen from the model&apos;s tensors: open a model directory first.</source>
        <translation>Eine llama.cpp-Mischung wird aus den Tensoren des Modells gewählt: zuerst ein Modellverzeichnis öffnen.</translation>
    </message>
    <message>
        <source>Choosing llama.cpp&apos;s %1 mix</source>
        <translation>Wähle llama.cpps Mischung %1</translation>
    </message>
    <message>
        <source>Apply llama.cpp mix %1</source>
        <translation>llama.cpp-Mischung %1 anwenden</translation>
    </message>
    <message numerus="yes">
        <source>Applied llama.cpp&apos;s %1 mix to %n tensor(s) (%2 shape fallback(s)); Undo restores the policy.</source>
        <translation>
            <numerusform>llama.cpps Mischung %1 auf %n Tensor angewandt (%2 Form-Ausweichtypen); Rückgängig stellt die Richtlinie wieder her.</numerusform>
            <numerusform>llama.cpps Mischung %1 auf %n Tensoren angewandt (%2 Form-Ausweichtypen); Rückgängig stellt die Richtlinie wieder her.</numerusform>
        </translation>
    </message>
    <message>
        <source>Live Cost</source>
        <translation>Live-Kosten</translation>
    </message>
    <message>
        <source>predicted damage (KL)</source>
        <translation>vorhergesagter Schaden (KL)</translation>
    </message>
    <message>
        <source>Apply llama.cpp &amp;Mix</source>
        <translation>llama.cpp-&amp;Mischung anwenden</translation>
    </message>
    <message>
        <source>llama.cpp Mix</source>
        <translation>llama.cpp-Mischung</translation>
    </message>
    <message>
        <source>&amp;Open…</source>
        <translation>Ö&amp;ffnen…</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>Öffnen</translation>
    </message>
    <message>
        <source>TaskQuant files: maps, policies, error tables, frontiers, validations, task transfers (*.json);;All files (*)</source>
        <translation>TaskQuant-Dateien: Karten, Richtlinien, Fehlertabellen, Fronten, Validierungen, Aufgabentransfers (*.json);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>Sensitivity maps (*.json)</source>
        <translation>Sensitivitätskarten (*.json)</translation>
    </message>
    <message>
        <source>Loading %1</source>
        <translation>Lade %1</translation>
    </message>
    <message>
        <source>Loaded policy %1</source>
        <translation>Richtlinie %1 geladen</translation>
    </message>
    <message numerus="yes">
        <source>Loading %n policy file(s)</source>
        <translation>
            <numerusform>Lade %n Richtliniendatei</numerusform>
            <numerusform>Lade %n Richtliniendateien</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Loaded %n policy file(s); current: %1</source>
        <translation>
            <numerusform>%n Richtliniendatei geladen; aktuell: %1</numerusform>
            <numerusform>%n Richtliniendateien geladen; aktuell: %1</numerusform>
        </translation>
    </message>
    <message>
        <source>Policy file %1</source>
        <translation>Richtliniendatei %1</translation>
    </message>
    <message>
        <source>%1 (edited)</source>
        <translation>%1 (geändert)</translation>
    </message>
    <message>
        <source>%1</source>
        <translation>%1</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>Beenden</translation>
    </message>
    <message>
        <source>map</source>
        <translation>Karte</translation>
    </message>
    <message>
        <source>policy</source>
        <translation>Richtlinie</translation>
    </message>
    <message>
        <source>error table</source>
        <translation>Fehlertabelle</translation>
    </message>
    <message>
        <source>frontier</source>
        <translation>Front</translation>
    </message>
    <message>
        <source>damage validation</source>
        <translation>Schadensvalidierung</translation>
    </message>
    <message>
        <source>Task KLD vs size: %1</source>
        <translation>Aufgaben-KLD über Größe: %1</translation>
    </message>
    <message>
        <source>Task KLD vs size: %1 on %2</source>
        <translation>Aufgaben-KLD über Größe: %1 auf %2</translation>
    </message>
    <message>
        <source>Opened from %1</source>
        <translation>Geöffnet aus %1</translation>
    </message>
    <message>
        <source>; model %1</source>
        <translation>; Modell %1</translation>
    </message>
    <message>
        <source>; maps %1</source>
        <translation>; Karten %1</translation>
    </message>
    <message>
        <source>; text %1</source>
        <translation>; Text %1</translation>
    </message>
    <message>
        <source>. Points cannot be loaded into the editor (the file has no policies); compute the frontier for that.</source>
        <translation>. Punkte lassen sich nicht in den Editor laden (die Datei enthält keine Richtlinien); dafür die Front berechnen.</translation>
    </message>
    <message>
        <source>%1 (opened from %2)</source>
        <translation>%1 (geöffnet aus %2)</translation>
    </message>
    <message numerus="yes">
        <source>Reading %n file(s)</source>
        <translation>
            <numerusform>Lese %n Datei</numerusform>
            <numerusform>Lese %n Dateien</numerusform>
        </translation>
    </message>
    <message>
        <source>Reading %1</source>
        <translation>Lese %1</translation>
    </message>
    <message numerus="yes">
        <source>Opened frontier %1 (%n point(s)).</source>
        <translation>
            <numerusform>Front %1 geöffnet (%n Punkt).</numerusform>
            <numerusform>Front %1 geöffnet (%n Punkte).</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Opened damage validation %1 (%n tensor(s)).</source>
        <translation>
            <numerusform>Schadensvalidierung %1 geöffnet (%n Tensor).</numerusform>
            <numerusform>Schadensvalidierung %1 geöffnet (%n Tensoren).</numerusform>
        </translation>
    </message>
    <message>
        <source>Choosing the start policy (Q4_K_M)</source>
        <translation>Wähle die Startrichtlinie (Q4_K_M)</translation>
    </message>
    <message>
        <source>Start policy</source>
        <translation>Startrichtlinie</translation>
    </message>
    <message>
        <source>llama.cpp Q4_K_M (start policy)</source>
        <translation>llama.cpp Q4_K_M (Startrichtlinie)</translation>
    </message>
    <message numerus="yes">
        <source>Start policy: llama.cpp&apos;s Q4_K_M mix for this model (%n tensor(s)).</source>
        <translation>
            <numerusform>Startrichtlinie: llama.cpps Mischung Q4_K_M für dieses Modell (%n Tensor).</numerusform>
            <numerusform>Startrichtlinie: llama.cpps Mischung Q4_K_M für dieses Modell (%n Tensoren).</numerusform>
        </translation>
    </message>
    <message>
        <source>&amp;Workflow</source>
        <translation>&amp;Arbeitsablauf</translation>
    </message>
    <message>
        <source>Workflow</source>
        <translation>Arbeitsablauf</translation>
    </message>
    <message>
        <source>&lt;b&gt;From a model to a task-aware GGUF&lt;/b&gt;</source>
        <translation>&lt;b&gt;Vom Modell zum aufgabenbewussten GGUF&lt;/b&gt;</translation>
    </message>
    <message>
        <source>&lt;ol&gt;&lt;li&gt;File &amp;gt; Open Model Directory (Ctrl+Shift+O): the editor starts from llama.cpp&apos;s Q4_K_M for the model; the Live Cost dock shows size and damage.&lt;/li&gt;&lt;li&gt;Analysis &amp;gt; Run Fisher… on your task&apos;s data (or File &amp;gt; Open… the maps &lt;code&gt;taskquant fisher&lt;/code&gt; wrote), and Run Magnitude… for comparison.&lt;/li&gt;&lt;li&gt;Read the maps: Heatmap, Fisher vs Magnitude, Task Diff, Regions.&lt;/li&gt;&lt;li&gt;Analysis &amp;gt; Compute Frontier… (Ctrl+Shift+F): uniform types, llama.cpp mixes and optimal allocations on the task; click a point to load its policy.&lt;/li&gt;&lt;li&gt;Edit the policy (heatmap: drag or arrows + Space; Policy tab), watch its cost, Evaluate Policy… and Validate Damage Model…&lt;/li&gt;&lt;li&gt;File &amp;gt; Save Policy (Ctrl+S) and Export Quantized Model… (Ctrl+Shift+E): GGUF for llama.cpp.&lt;/li&gt;&lt;/ol&gt;&lt;p&gt;The same on the command line: &lt;code&gt;taskquant demo&lt;/code&gt; runs all of it on the embedded demo model and opens the result here.&lt;/p&gt;</source>
        <translation>&lt;ol&gt;&lt;li&gt;Datei &amp;gt; Modellverzeichnis öffnen (Strg+Umschalt+O): der Editor beginnt mit llama.cpps Q4_K_M für das Modell; das Dock Live-Kosten zeigt Größe und Schaden.&lt;/li&gt;&lt;li&gt;Analyse &amp;gt; Fisher ausführen… auf den Daten Ihrer Aufgabe (oder Datei &amp;gt; Öffnen… der Karten, die &lt;code&gt;taskquant fisher&lt;/code&gt; geschrieben hat) und Betrag ausführen… zum Vergleich.&lt;/li&gt;&lt;li&gt;Die Karten lesen: Heatmap, Fisher gegen Betrag, Aufgabenvergleich, Regionen.&lt;/li&gt;&lt;li&gt;Analyse &amp;gt; Front berechnen… (Strg+Umschalt+F): einheitliche Typen, llama.cpp-Mischungen und optimale Zuteilungen auf der Aufgabe; ein Klick auf einen Punkt lädt seine Richtlinie.&lt;/li&gt;&lt;li&gt;Die Richtlinie bearbeiten (Heatmap: ziehen oder Pfeile + Leertaste; Tab Richtlinie), ihre Kosten beobachten, Richtlinie auswerten… und Schadensmodell prüfen…&lt;/li&gt;&lt;li&gt;Datei &amp;gt; Richtlinie speichern (Strg+S) und Quantisiertes Modell exportieren… (Strg+Umschalt+E): GGUF für llama.cpp.&lt;/li&gt;&lt;/ol&gt;&lt;p&gt;Dasselbe auf der Kommandozeile: &lt;code&gt;taskquant demo&lt;/code&gt; führt alles auf dem eingebetteten Demomodell aus und öffnet das Ergebnis hier.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;p&gt;The README describes every step.&lt;/p&gt;</source>
        <translation>&lt;p&gt;Die README beschreibt jeden Schritt.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;p&gt;Every step in detail: &lt;a href=&quot;%1&quot;&gt;%2&lt;/a&gt;&lt;/p&gt;</source>
        <translation>&lt;p&gt;Jeder Schritt im Detail: &lt;a href=&quot;%1&quot;&gt;%2&lt;/a&gt;&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Open &amp;README</source>
        <translation>&amp;README öffnen</translation>
    </message>
    <message>
        <source>task transfer</source>
        <translation>Aufgabentransfer</translation>
    </message>
    <message numerus="yes">
        <source>Opened task transfer %1 (%n cell(s)).</source>
        <translation>
            <numerusform>Aufgabentransfer %1 geöffnet (%n Zelle).</numerusform>
            <numerusform>Aufgabentransfer %1 geöffnet (%n Zellen).</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 MiB</source>
        <translation>%1 MiB</translation>
    </message>
    <message>
        <source>%1 bits per weight</source>
        <translation>%1 Bit je Gewicht</translation>
    </message>
    <message>
        <source>Optimal allocation within %1</source>
        <translation>Optimale Verteilung innerhalb von %1</translation>
    </message>
    <message>
        <source>Optimise to %1</source>
        <translation>Auf %1 optimieren</translation>
    </message>
    <message>
        <source>%1 of %2 GGUF tensor bytes (%3 bits per weight)</source>
        <translation>%1 von %2 GGUF-Tensor-Bytes (%3 Bit je Gewicht)</translation>
    </message>
    <message>
        <source>no error table, proxy error 2^(-2*bits) x map score</source>
        <translation>keine Fehlertabelle, Ersatzfehler 2^(-2*bits) x Kartenwert</translation>
    </message>
    <message>
        <source>predicted KL of the damage model (error table)</source>
        <translation>vorhergesagte KL des Schadensmodells (Fehlertabelle)</translation>
    </message>
    <message>
        <source>score-weighted error of the error table</source>
        <translation>mit den Werten gewichteter Fehler der Fehlertabelle</translation>
    </message>
    <message>
        <source>Optimised within %1 by %3: %2.</source>
        <translation>Innerhalb von %1 optimiert nach %3: %2.</translation>
    </message>
</context>
<context>
    <name>taskquant::studio::MessageBar</name>
    <message>
        <source>Close</source>
        <translation>Schließen</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
</context>
<context>
    <name>taskquant::studio::PathField</name>
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
    <name>taskquant::studio::ProjectPanel</name>
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
            <numerusform>%1&lt;br&gt;Architektur: %2, %n Schicht, %3 Gewichtsdatei(en)</numerusform>
            <numerusform>%1&lt;br&gt;Architektur: %2, %n Schichten, %3 Gewichtsdatei(en)</numerusform>
        </translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>unbekannt</translation>
    </message>
</context>
<context>
    <name>taskquant::studio::TaskFields</name>
    <message>
        <source>Data files (*.jsonl *.json *.txt *.raw);;All files (*)</source>
        <translation>Datendateien (*.jsonl *.json *.txt *.raw);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>GSM8K (JSON Lines)</source>
        <translation>GSM8K (JSON Lines)</translation>
    </message>
    <message>
        <source>MATH (JSON Lines)</source>
        <translation>MATH (JSON Lines)</translation>
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
        <source>Plain text file</source>
        <translation>Textdatei</translation>
    </message>
    <message>
        <source>Demo task: %1 (no file)</source>
        <translation>Demo-Aufgabe: %1 (keine Datei)</translation>
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
        <source>all</source>
        <translation>alle</translation>
    </message>
    <message>
        <source>Model:</source>
        <translation>Modell:</translation>
    </message>
    <message>
        <source>Task text kind:</source>
        <translation>Art des Aufgabentexts:</translation>
    </message>
    <message>
        <source>Task text file:</source>
        <translation>Datei des Aufgabentexts:</translation>
    </message>
    <message>
        <source>JSON field:</source>
        <translation>JSON-Feld:</translation>
    </message>
    <message>
        <source>Context length:</source>
        <translation>Kontextlänge:</translation>
    </message>
    <message>
        <source>Max windows:</source>
        <translation>Höchstens Fenster:</translation>
    </message>
    <message>
        <source>Device:</source>
        <translation>Gerät:</translation>
    </message>
</context>
<context>
    <name>taskquant::studio::ValidateDialog</name>
    <message>
        <source>Weight errors by the task&apos;s activations</source>
        <translation>Fehler mit den Aktivierungen der Aufgabe gewichten</translation>
    </message>
    <message>
        <source>Validate Damage Model</source>
        <translation>Schadensmodell validieren</translation>
    </message>
    <message>
        <source>Each tested tensor alone is stored at this type</source>
        <translation>Jeder getestete Tensor wird allein in diesem Typ gespeichert</translation>
    </message>
    <message>
        <source>all</source>
        <translation>alle</translation>
    </message>
    <message>
        <source>Test the N tensors with the largest predicted damage (one evaluation each), or all</source>
        <translation>Die N Tensoren mit dem größten vorhergesagten Schaden testen (je eine Auswertung), oder alle</translation>
    </message>
    <message>
        <source>Map:</source>
        <translation>Karte:</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>(keine)</translation>
    </message>
    <message>
        <source>Precision:</source>
        <translation>Genauigkeit:</translation>
    </message>
    <message>
        <source>Tensors (largest damage):</source>
        <translation>Tensoren (größter Schaden):</translation>
    </message>
    <message>
        <source>Validate</source>
        <translation>Validieren</translation>
    </message>
</context>
<context>
    <name>taskquant::views::FrontierPointModel</name>
    <message>
        <source>Size: %1 MiB, %2 bits per weight</source>
        <translation>Größe: %1 MiB, %2 Bit pro Gewicht</translation>
    </message>
    <message>
        <source>KLD: %1 (p99 %2)</source>
        <translation>KLD: %1 (p99 %2)</translation>
    </message>
    <message>
        <source>PPL: %1</source>
        <translation>PPL: %1</translation>
    </message>
    <message>
        <source>Same top-1: %1 %</source>
        <translation>Gleiches Top-1: %1 %</translation>
    </message>
    <message>
        <source>&lt;i&gt;measured on the task text&lt;/i&gt;</source>
        <translation>&lt;i&gt;gemessen auf dem Aufgabentext&lt;/i&gt;</translation>
    </message>
    <message>
        <source>KLD: %1 (predicted)</source>
        <translation>KLD: %1 (vorhergesagt)</translation>
    </message>
    <message>
        <source>KLD: not predicted (types without measured errors)</source>
        <translation>KLD: nicht vorhergesagt (Typen ohne gemessene Fehler)</translation>
    </message>
    <message>
        <source>PPL, top-1: not measured</source>
        <translation>PPL, Top-1: nicht gemessen</translation>
    </message>
    <message>
        <source>&lt;i&gt;predicted by the damage model; Evaluate measures it&lt;/i&gt;</source>
        <translation>&lt;i&gt;vom Schadensmodell vorhergesagt; Auswerten misst sie&lt;/i&gt;</translation>
    </message>
    <message>
        <source>Policy</source>
        <translation>Richtlinie</translation>
    </message>
    <message>
        <source>Family</source>
        <translation>Familie</translation>
    </message>
    <message>
        <source>Bits/weight</source>
        <translation>Bit/Gewicht</translation>
    </message>
    <message>
        <source>Size (MiB)</source>
        <translation>Größe (MiB)</translation>
    </message>
    <message>
        <source>KLD mean</source>
        <translation>KLD Mittel</translation>
    </message>
    <message>
        <source>PPL</source>
        <translation>PPL</translation>
    </message>
    <message>
        <source>Same top-1</source>
        <translation>Gleiches Top-1</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>Quelle</translation>
    </message>
    <message>
        <source>measured</source>
        <translation>gemessen</translation>
    </message>
    <message>
        <source>predicted</source>
        <translation>vorhergesagt</translation>
    </message>
</context>
<context>
    <name>taskquant::views::FrontierView</name>
    <message>
        <source>Compute Frontier…</source>
        <translation>Front berechnen…</translation>
    </message>
    <message>
        <source>Evaluate Current Policy</source>
        <translation>Aktuelle Richtlinie auswerten</translation>
    </message>
    <message>
        <source>Export Plot…</source>
        <translation>Diagramm exportieren…</translation>
    </message>
    <message>
        <source>Evaluate uniform types, llama.cpp mixes and the optimal allocations on a task text (a job)</source>
        <translation>Einheitliche Typen, llama.cpp-Mischungen und die optimalen Zuteilungen auf einem Aufgabentext auswerten (ein Auftrag)</translation>
    </message>
    <message>
        <source>Measure the current policy on the frontier&apos;s task text instead of predicting it</source>
        <translation>Die aktuelle Richtlinie auf dem Aufgabentext der Front messen statt sie vorherzusagen</translation>
    </message>
    <message>
        <source>Save the plot as PNG, SVG or PDF</source>
        <translation>Das Diagramm als PNG, SVG oder PDF speichern</translation>
    </message>
    <message>
        <source>Bits per weight (all parameters)</source>
        <translation>Bit pro Gewicht (alle Parameter)</translation>
    </message>
    <message>
        <source>Mean KL divergence per token (log)</source>
        <translation>Mittlere KL-Divergenz pro Token (log)</translation>
    </message>
    <message>
        <source>No frontier yet: Analysis &gt; Compute Frontier… (with a model directory open)</source>
        <translation>Noch keine Front: Analyse &gt; Front berechnen… (mit geöffnetem Modellverzeichnis)</translation>
    </message>
    <message>
        <source>current policy (measured)</source>
        <translation>aktuelle Richtlinie (gemessen)</translation>
    </message>
    <message>
        <source>current policy (predicted)</source>
        <translation>aktuelle Richtlinie (vorhergesagt)</translation>
    </message>
    <message>
        <source>current policy (not predicted)</source>
        <translation>aktuelle Richtlinie (nicht vorhergesagt)</translation>
    </message>
    <message>
        <source>Current policy: %1 bpw, KLD %2, measured.</source>
        <translation>Aktuelle Richtlinie: %1 Bit/Gewicht, KLD %2, gemessen.</translation>
    </message>
    <message>
        <source>Current policy: %1 bpw, KLD %2 &lt;i&gt;predicted&lt;/i&gt; by the damage model (scaled to the measured points); Evaluate measures it.</source>
        <translation>Aktuelle Richtlinie: %1 Bit/Gewicht, KLD %2 vom Schadensmodell &lt;i&gt;vorhergesagt&lt;/i&gt; (auf die gemessenen Punkte skaliert); Auswerten misst sie.</translation>
    </message>
    <message>
        <source>Current policy: %1 bpw; its KLD is &lt;i&gt;not predicted&lt;/i&gt;: some tensors use types without measured errors (choose the frontier&apos;s types, or Evaluate to measure it). Drawn on the axis floor.</source>
        <translation>Aktuelle Richtlinie: %1 Bit/Gewicht; ihre KLD ist &lt;i&gt;nicht vorhergesagt&lt;/i&gt;: einige Tensoren nutzen Typen ohne gemessene Fehler (die Typen der Front wählen oder mit Auswerten messen). Am unteren Achsenrand gezeichnet.</translation>
    </message>
    <message>
        <source>Hover a point for its numbers; click one to load its policy (Edit &gt; Undo takes it back).</source>
        <translation>Zeiger über einen Punkt für seine Zahlen; Klick lädt seine Richtlinie (Bearbeiten &gt; Rückgängig nimmt es zurück).</translation>
    </message>
    <message>
        <source>current (not predicted)</source>
        <translation>aktuell (nicht vorhergesagt)</translation>
    </message>
    <message>
        <source>current (measured)</source>
        <translation>aktuell (gemessen)</translation>
    </message>
    <message>
        <source>current (predicted)</source>
        <translation>aktuell (vorhergesagt)</translation>
    </message>
    <message>
        <source>&lt;br&gt;Click to load this policy into the editor.</source>
        <translation>&lt;br&gt;Klicken lädt diese Richtlinie in den Editor.</translation>
    </message>
</context>
<context>
    <name>taskquant::views::HeatmapCanvas</name>
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
            <numerusform>&lt;i&gt;und %n weiterer Tensor in dieser Zelle&lt;/i&gt;</numerusform>
            <numerusform>&lt;i&gt;und %n weitere Tensoren in dieser Zelle&lt;/i&gt;</numerusform>
        </translation>
    </message>
    <message>
        <source>Open a sensitivity map (File &gt; Open Map) or drop one here.</source>
        <translation>Eine Sensitivitätskarte öffnen (Datei &gt; Karte öffnen) oder hierher ziehen.</translation>
    </message>
    <message>
        <source>GGUF Type</source>
        <translation>GGUF-Typ</translation>
    </message>
</context>
<context>
    <name>taskquant::views::HeatmapView</name>
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
        <source>Show scores divided by the map&apos;s largest score</source>
        <translation>Werte geteilt durch den größten Wert der Karte zeigen</translation>
    </message>
</context>
<context>
    <name>taskquant::views::MapListModel</name>
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
    <name>taskquant::views::PolicyEditor</name>
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
            <numerusform>%n Tensor mit expliziter Genauigkeit; die übrigen nutzen %1.</numerusform>
            <numerusform>%n Tensoren mit expliziter Genauigkeit; die übrigen nutzen %1.</numerusform>
        </translation>
    </message>
    <message>
        <source>Estimated size %1 of %2 unquantized (%3 %), %4 bits per weight on average.</source>
        <translation>Geschätzte Größe %1 von %2 unquantisiert (%3 %), im Mittel %4 Bit je Gewicht.</translation>
    </message>
    <message numerus="yes">
        <source>%n tensor(s) without a known shape are not counted (open the model directory to get them).</source>
        <translation>
            <numerusform>%n Tensor ohne bekannte Form wird nicht gezählt (Modellverzeichnis öffnen, um sie zu erhalten).</numerusform>
            <numerusform>%n Tensoren ohne bekannte Form werden nicht gezählt (Modellverzeichnis öffnen, um sie zu erhalten).</numerusform>
        </translation>
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
    <message>
        <source>Live cost: %1</source>
        <translation>Live-Kosten: %1</translation>
    </message>
    <message>
        <source>bits per weight</source>
        <translation>Bit je Gewicht</translation>
    </message>
    <message>
        <source>MiB</source>
        <translation>MiB</translation>
    </message>
    <message>
        <source>Bits per weight: the GGUF file&apos;s tensor bytes x 8 / all parameters, as llama.cpp counts them. MiB: 1,048,576 bytes of GGUF tensor data. Either becomes an exact byte budget for the file, as `taskquant policy --method optimal --budget-bytes` takes it.</source>
        <translation>Bit je Gewicht: die Tensor-Bytes der GGUF-Datei x 8 / alle Parameter, wie llama.cpp sie zählt. MiB: 1.048.576 Bytes GGUF-Tensordaten. Beides wird zu einem exakten Byte-Budget für die Datei, wie es `taskquant policy --method optimal --budget-bytes` annimmt.</translation>
    </message>
    <message>
        <source>Choose a precision for every tensor of the model&apos;s GGUF file, embedding and output included, to minimise the predicted damage within the budget: the allocator of `taskquant policy --method optimal` and of the frontier. With an error table it minimises the damage model&apos;s predicted KL; without one it weights the proxy error 2^(-2*bits) by the map&apos;s scores.</source>
        <translation>Für jeden Tensor der GGUF-Datei des Modells, Embedding und Ausgabe eingeschlossen, eine Präzision wählen, sodass der vorhergesagte Schaden im Budget minimal ist: die Verteilung von `taskquant policy --method optimal` und der Frontier. Mit einer Fehlertabelle minimiert sie die vom Schadensmodell vorhergesagte KL; ohne eine gewichtet sie den Ersatzfehler 2^(-2*bits) mit den Werten der Karte.</translation>
    </message>
</context>
<context>
    <name>taskquant::views::PolicyModel</name>
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
            <numerusform>%n Tensor auf %1 setzen</numerusform>
            <numerusform>%n Tensoren auf %1 setzen</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>taskquant::views::PrecisionDelegate</name>
    <message>
        <source>(policy default)</source>
        <translation>(Vorgabe der Richtlinie)</translation>
    </message>
    <message>
        <source>%1 (not GGUF)</source>
        <translation>%1 (kein GGUF)</translation>
    </message>
</context>
<context>
    <name>taskquant::views::RankShiftModel</name>
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
    <name>taskquant::views::RegionsView</name>
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
    <name>taskquant::views::ScatterView</name>
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
            <numerusform>Fisher gegen Betrag: Spearman ρ = %1, Kendall τ = %2 (%n Tensor)</numerusform>
            <numerusform>Fisher gegen Betrag: Spearman ρ = %1, Kendall τ = %2 (%n Tensoren)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>; %n with a zero score not drawn</source>
        <translation>
            <numerusform>; %n mit Wert 0 nicht gezeichnet</numerusform>
            <numerusform>; %n mit Wert 0 nicht gezeichnet</numerusform>
        </translation>
    </message>
    <message>
        <source>Error bars (bootstrap intervals of the Fisher scores)</source>
        <translation>Fehlerbalken (Bootstrap-Intervalle der Fisher-Werte)</translation>
    </message>
    <message>
        <source>Draw each tensor&apos;s bootstrap confidence interval (the map&apos;s &quot;uncertainty&quot;; Fisher maps computed with --bootstrap have it)</source>
        <translation>Das Bootstrap-Konfidenzintervall jedes Tensors zeichnen (die &quot;uncertainty&quot; der Karte; Fisher-Karten mit --bootstrap haben sie)</translation>
    </message>
    <message>
        <source>rank not stable (P &lt; 0.9 to stay in the top %1)</source>
        <translation>Rang nicht stabil (P &lt; 0,9, in den Top %1 zu bleiben)</translation>
    </message>
    <message>
        <source>unstable rank P=%1</source>
        <translation>instabiler Rang P=%1</translation>
    </message>
    <message>
        <source>&lt;b&gt;%1&lt;/b&gt;&lt;br&gt;Fisher %2 (rank %3)&lt;br&gt;magnitude %4 (rank %5)</source>
        <translation>&lt;b&gt;%1&lt;/b&gt;&lt;br&gt;Fisher %2 (Rang %3)&lt;br&gt;Betrag %4 (Rang %5)</translation>
    </message>
    <message>
        <source>&lt;br&gt;%1 % interval [%2, %3] (%4 bootstrap resamples of %5 samples)</source>
        <translation>&lt;br&gt;%1-%-Intervall [%2, %3] (%4 Bootstrap-Stichproben aus %5 Beispielen)</translation>
    </message>
    <message>
        <source>&lt;br&gt;&lt;b&gt;rank not stable&lt;/b&gt;: P(stays in the top %1) = %2</source>
        <translation>&lt;br&gt;&lt;b&gt;Rang nicht stabil&lt;/b&gt;: P(bleibt in den Top %1) = %2</translation>
    </message>
    <message>
        <source>&lt;br&gt;P(stays in the top %1) = %2</source>
        <translation>&lt;br&gt;P(bleibt in den Top %1) = %2</translation>
    </message>
</context>
<context>
    <name>taskquant::views::TaskDiffView</name>
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
    <name>taskquant::views::TensorTableModel</name>
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
        <source>Share of tensors whose score is at most this one&apos;s</source>
        <translation>Anteil der Tensoren, deren Wert höchstens diesem entspricht</translation>
    </message>
    <message>
        <source>Explicit precision chosen for this tensor (empty: policy default)</source>
        <translation>Für diesen Tensor gewählte Genauigkeit (leer: Vorgabe der Richtlinie)</translation>
    </message>
</context>
<context>
    <name>taskquant::views::ValidationRowModel</name>
    <message>
        <source>Tensor</source>
        <translation>Tensor</translation>
    </message>
    <message>
        <source>Precision</source>
        <translation>Genauigkeit</translation>
    </message>
    <message>
        <source>Predicted KL</source>
        <translation>Vorhergesagte KL</translation>
    </message>
    <message>
        <source>Measured KL</source>
        <translation>Gemessene KL</translation>
    </message>
    <message>
        <source>± (measured)</source>
        <translation>± (gemessen)</translation>
    </message>
    <message>
        <source>Misprediction</source>
        <translation>Fehlvorhersage</translation>
    </message>
    <message>
        <source>log(measured / (scale × predicted)); 0 = predicted exactly after scaling</source>
        <translation>log(gemessen / (Skala × vorhergesagt)); 0 = nach Skalierung genau vorhergesagt</translation>
    </message>
</context>
<context>
    <name>taskquant::views::ValidationView</name>
    <message>
        <source>measured = predicted (y = x)</source>
        <translation>gemessen = vorhergesagt (y = x)</translation>
    </message>
    <message>
        <source>Validate Damage Model…</source>
        <translation>Schadensmodell validieren…</translation>
    </message>
    <message>
        <source>Quantize each tensor alone and compare the measured KL with the damage model&apos;s prediction (a job)</source>
        <translation>Jeden Tensor allein quantisieren und die gemessene KL mit der Vorhersage des Schadensmodells vergleichen (ein Auftrag)</translation>
    </message>
    <message>
        <source>Predicted damage ½·score·SSE (map units)</source>
        <translation>Vorhergesagter Schaden ½·Wert·SSE (Karteneinheiten)</translation>
    </message>
    <message>
        <source>Measured KL divergence per token, tensor alone quantized</source>
        <translation>Gemessene KL-Divergenz pro Token, Tensor allein quantisiert</translation>
    </message>
    <message>
        <source>No validation yet: open a model and a map, then Analysis &gt; Validate Damage Model…</source>
        <translation>Noch keine Validierung: Analyse &gt; Schadensmodell validieren… (braucht ein Modell und eine Karte)</translation>
    </message>
    <message>
        <source>tensors alone at %1</source>
        <translation>Tensoren allein bei %1</translation>
    </message>
    <message>
        <source>measured = %1 × predicted</source>
        <translation>gemessen = %1 × vorhergesagt</translation>
    </message>
    <message numerus="yes">
        <source>Predicted vs measured damage at %1: Spearman ρ = %2 (%n tensor(s))</source>
        <translation>
            <numerusform>Vorhergesagter gegen gemessenen Schaden bei %1: Spearman ρ = %2 (%n Tensor)</numerusform>
            <numerusform>Vorhergesagter gegen gemessenen Schaden bei %1: Spearman ρ = %2 (%n Tensoren)</numerusform>
        </translation>
    </message>
    <message>
        <source>Map %1; %2; unweighted ρ = %3; additivity (whole / sum of single) = %4; %5 windows, %6 tokens, %7 s.</source>
        <translation>Karte %1; %2; ungewichtetes ρ = %3; Additivität (gesamt / Summe der einzelnen) = %4; %5 Fenster, %6 Tokens, %7 s.</translation>
    </message>
    <message>
        <source>errors weighted by the task&apos;s activations</source>
        <translation>Fehler mit den Aktivierungen der Aufgabe gewichtet</translation>
    </message>
    <message>
        <source>plain squared errors</source>
        <translation>einfache quadratische Fehler</translation>
    </message>
    <message>
        <source>&lt;b&gt;%1&lt;/b&gt; at %2&lt;br&gt;predicted %3&lt;br&gt;measured %4 ± %5&lt;br&gt;misprediction %6</source>
        <translation>&lt;b&gt;%1&lt;/b&gt; bei %2&lt;br&gt;vorhergesagt %3&lt;br&gt;gemessen %4 ± %5&lt;br&gt;Fehlvorhersage %6</translation>
    </message>
</context>
<context>
    <name>taskquant::studio::TransferActions</name>
    <message>
        <source>Compute Task &amp;Transfer…</source>
        <translation>&amp;Aufgabentransfer berechnen…</translation>
    </message>
    <message>
        <source>Task Transfer</source>
        <translation>Aufgabentransfer</translation>
    </message>
    <message>
        <source>Does a policy built for a task keep that task better than other policies of the same size? Every policy evaluated on every task</source>
        <translation>Erhält eine für eine Aufgabe gebaute Richtlinie diese Aufgabe besser als andere Richtlinien gleicher Größe? Jede Richtlinie auf jeder Aufgabe ausgewertet</translation>
    </message>
    <message>
        <source>Compute Task Transfer</source>
        <translation>Aufgabentransfer berechnen</translation>
    </message>
    <message>
        <source>One task per line: NAME=KIND:PATH (gsm8k, math, wikitext, jsonl, text) or NAME=KIND for the generated demo tasks (arithmetic, algebra, stories)</source>
        <translation>Eine Aufgabe pro Zeile: NAME=ART:PFAD (gsm8k, math, wikitext, jsonl, text) oder NAME=ART für die erzeugten Demo-Aufgaben (arithmetic, algebra, stories)</translation>
    </message>
    <message>
        <source>none (e.g. wikitext:wiki.test.raw)</source>
        <translation>keiner (z. B. wikitext:wiki.test.raw)</translation>
    </message>
    <message>
        <source>Budgets in bits per weight, comma separated</source>
        <translation>Budgets in Bit pro Gewicht, durch Kommas getrennt</translation>
    </message>
    <message>
        <source>all</source>
        <translation>alle</translation>
    </message>
    <message>
        <source>llama.cpp&apos;s nearest mix, with each task&apos;s importance matrix</source>
        <translation>Nächste Mischung von llama.cpp, mit der Wichtigkeitsmatrix jeder Aufgabe</translation>
    </message>
    <message>
        <source>Model:</source>
        <translation>Modell:</translation>
    </message>
    <message>
        <source>Tasks:</source>
        <translation>Aufgaben:</translation>
    </message>
    <message>
        <source>General text:</source>
        <translation>Allgemeiner Text:</translation>
    </message>
    <message>
        <source>Budgets (bpw):</source>
        <translation>Budgets (bpw):</translation>
    </message>
    <message>
        <source>Calibration samples per task:</source>
        <translation>Kalibrierungsbeispiele pro Aufgabe:</translation>
    </message>
    <message>
        <source>Held-out samples per task:</source>
        <translation>Zurückgehaltene Beispiele pro Aufgabe:</translation>
    </message>
    <message>
        <source>Tokens per window:</source>
        <translation>Tokens pro Fenster:</translation>
    </message>
    <message>
        <source>Windows per task:</source>
        <translation>Fenster pro Aufgabe:</translation>
    </message>
    <message>
        <source>Answer problems per task:</source>
        <translation>Antwortaufgaben pro Aufgabe:</translation>
    </message>
    <message>
        <source>Device:</source>
        <translation>Gerät:</translation>
    </message>
    <message>
        <source>Compute</source>
        <translation>Berechnen</translation>
    </message>
    <message>
        <source>Task transfer on %1</source>
        <translation>Aufgabentransfer auf %1</translation>
    </message>
    <message numerus="yes">
        <source>Task transfer ready: %n cell(s).</source>
        <translation>
            <numerusform>Aufgabentransfer fertig: %n Zelle.</numerusform>
            <numerusform>Aufgabentransfer fertig: %n Zellen.</numerusform>
        </translation>
    </message>
    <message>
        <source>Load task-transfer policy %1</source>
        <translation>Aufgabentransfer-Richtlinie %1 laden</translation>
    </message>
    <message>
        <source>Task transfer: %1 on %2</source>
        <translation>Aufgabentransfer: %1 auf %2</translation>
    </message>
    <message>
        <source>model</source>
        <translation>Modell</translation>
    </message>
    <message>
        <source>%1: %2 windows, %3 tokens%4</source>
        <translation>%1: %2 Fenster, %3 Tokens%4</translation>
    </message>
    <message>
        <source>, %1 answer problems</source>
        <translation>, %1 Antwortaufgaben</translation>
    </message>
    <message>
        <source>Held-out text per task: %1; windows of %2 tokens; %3 parameters; %4 s.</source>
        <translation>Zurückgehaltener Text pro Aufgabe: %1; Fenster zu %2 Tokens; %3 Parameter; %4 s.</translation>
    </message>
    <message>
        <source>Opened from %1; model %2.</source>
        <translation>Geöffnet aus %1; Modell %2.</translation>
    </message>
</context>
<context>
    <name>taskquant::views::TransferMatrixModel</name>
    <message>
        <source>Policy</source>
        <translation>Richtlinie</translation>
    </message>
    <message>
        <source>Built for</source>
        <translation>Gebaut für</translation>
    </message>
    <message>
        <source>Size (KB)</source>
        <translation>Größe (KB)</translation>
    </message>
    <message>
        <source>on %1</source>
        <translation>auf %1</translation>
    </message>
    <message>
        <source>Mean KL divergence per token against the unquantized model on the held-out text of this task, with its bootstrap 95 % interval over windows (lower is better); below it, where the task has answers, the exact-answer accuracy of greedy generation with its Wilson 95 % interval. White: the task&apos;s best policy; red: its worst. Click a row to load its policy.</source>
        <translation>Mittlere KL-Divergenz pro Token gegenüber dem unquantisierten Modell auf dem zurückgehaltenen Text dieser Aufgabe, mit ihrem Bootstrap-95-%-Intervall über Fenster (niedriger ist besser); darunter, wo die Aufgabe Antworten hat, die Genauigkeit exakter Antworten bei gieriger Generierung mit ihrem Wilson-95-%-Intervall. Weiß: die beste Richtlinie der Aufgabe; rot: ihre schlechteste. Ein Klick auf eine Zeile lädt ihre Richtlinie.</translation>
    </message>
    <message>
        <source>The task whose calibration text the policy was built from, &quot;mixed&quot; (all tasks&apos; text), &quot;general&quot; (general text) or a llama.cpp mix</source>
        <translation>Die Aufgabe, aus deren Kalibrierungstext die Richtlinie gebaut wurde, &quot;mixed&quot; (der Text aller Aufgaben), &quot;general&quot; (allgemeiner Text) oder eine Mischung von llama.cpp</translation>
    </message>
    <message>
        <source>—</source>
        <translation>—</translation>
    </message>
    <message>
        <source>%1 on %2 at %3 bpw
KLD %4 (95 % interval %5 to %6), p99 %7
same top-1 token %8 %</source>
        <translation>%1 auf %2 bei %3 bpw
KLD %4 (95-%-Intervall %5 bis %6), p99 %7
gleiches Top-1-Token %8 %</translation>
    </message>
    <message>
        <source>
exact answers %1 % (95 % interval %2 to %3 %)</source>
        <translation>
exakte Antworten %1 % (95-%-Intervall %2 bis %3 %)</translation>
    </message>
    <message>
        <source>
(the policy built for this task)</source>
        <translation>
(die für diese Aufgabe gebaute Richtlinie)</translation>
    </message>
</context>
<context>
    <name>taskquant::views::TransferView</name>
    <message>
        <source>Compute Task Transfer…</source>
        <translation>Aufgabentransfer berechnen…</translation>
    </message>
    <message>
        <source>Build each task&apos;s own policy, a mixed one and llama.cpp&apos;s mix at equal sizes and evaluate every policy on every task (a job)</source>
        <translation>Die eigene Richtlinie jeder Aufgabe, eine gemischte und die Mischung von llama.cpp bei gleicher Größe bauen und jede Richtlinie auf jeder Aufgabe auswerten (ein Auftrag)</translation>
    </message>
    <message>
        <source>The size budget the matrix shows (bits per weight)</source>
        <translation>Das Größenbudget, das die Matrix zeigt (Bit pro Gewicht)</translation>
    </message>
    <message>
        <source>Budget:</source>
        <translation>Budget:</translation>
    </message>
    <message>
        <source>No task transfer yet: Analysis &gt; Compute Task Transfer…, or open a transfer JSON (taskquant transfer --out).</source>
        <translation>Noch kein Aufgabentransfer: Analyse &gt; Aufgabentransfer berechnen…, oder eine Transfer-JSON öffnen (taskquant transfer --out).</translation>
    </message>
    <message>
        <source>%1 bpw</source>
        <translation>%1 bpw</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
</context>
<context>
    <name>Optimise</name>
    <message>
        <source>The budget must be a positive number.</source>
        <translation>Das Budget muss eine positive Zahl sein.</translation>
    </message>
    <message>
        <source>The budget is too large.</source>
        <translation>Das Budget ist zu groß.</translation>
    </message>
    <message>
        <source>%1 MiB</source>
        <translation>%1 MiB</translation>
    </message>
    <message>
        <source>%1 bits per weight</source>
        <translation>%1 Bit je Gewicht</translation>
    </message>
    <message>
        <source>Optimise: no map open.</source>
        <translation>Optimieren: keine Karte geöffnet.</translation>
    </message>
    <message>
        <source>The budget of %1 (%2 GGUF tensor bytes) is below the smallest size these precisions reach: %3 (%4 bytes).</source>
        <translation>Das Budget von %1 (%2 GGUF-Tensor-Bytes) liegt unter der kleinsten Größe, die diese Präzisionen erreichen: %3 (%4 Bytes).</translation>
    </message>
</context>
</TS>
