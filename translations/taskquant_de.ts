<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>HeatmapCanvas</name>
    <message>
        <source>Select All</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Clear Selection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Zoom In</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Zoom Out</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fit to Window</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>n/a (a score is 0)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Score / max</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Score</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rank</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Percentile</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Parameters</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unknown</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Precision</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>policy default</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>&lt;i&gt;and %n more tensor(s) in this cell&lt;/i&gt;</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Open a sensitivity map (File &gt; Open Map) or drop one here.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>HeatmapData</name>
    <message>
        <source>score / max</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>score</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Embeddings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Layer %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Final norm</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Other</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>HeatmapView</name>
    <message>
        <source>Normalise to maximum</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Zoom in (Ctrl+wheel)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Zoom out (Ctrl+wheel)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fit to window (Ctrl+0)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show scores divided by the map&apos;s largest score</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>JobRunner</name>
    <message>
        <source>unknown error</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>JobsPanel</name>
    <message>
        <source>%1 h %2 min left</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 min %2 s left</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 s left</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No jobs running.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop this job; nothing partial is written</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>TaskQuant Studio</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Heatmap</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fisher vs Magnitude</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Task Diff</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Regions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Policy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Project</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Jobs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Job cancelled; nothing was written.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open &amp;Model Directory…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open Model Directory</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Open Map(s)…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open Sensitivity Maps</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sensitivity maps (*.json);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open &amp;Recent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Load Policy…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Load Policy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Policies (*.json)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Load %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Save Policy…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save Policy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export &amp;Quantized Model…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Needs the quantization engine, which this build does not include yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export &amp;Plot…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export Plot</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export &amp;CSV…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export CSV</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Undo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Redo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Set &amp;Precision of Selection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Clear &amp;Selection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Normalise Scores to Maximum</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Zoom &amp;In</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Zoom &amp;Out</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Fit to Window</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Analysis</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Run &amp;Fisher…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Run &amp;Magnitude…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Evaluate Policy…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Needs the sensitivity engine, which this build does not include yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>System</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The language changes at the next start.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;About TaskQuant Studio</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>About TaskQuant Studio</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;b&gt;TaskQuant Studio&lt;/b&gt; %1&lt;br&gt;Task-aware sensitivity maps and mixed-precision policies for language models.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(none)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Clear List</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Reading %n map(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Opened %n map(s).</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Reading model directory</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 — TaskQuant Studio</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open a map first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Exporting %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Wrote %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n explicit precision choice(s); default %1.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
</context>
<context>
    <name>MapListModel</name>
    <message>
        <source>map in memory</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Method</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dataset</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tensors</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Samples</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(flat map)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PolicyEditor</name>
    <message>
        <source>Only explicit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Filter parameters…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All kinds</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Undo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Redo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No map open.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n tensor(s) with an explicit precision; others use %1.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Estimated size %1 of %2 unquantized (%3 %), %4 bits per weight on average.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n tensor(s) without a known shape are not counted (open the model directory to get them).</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
</context>
<context>
    <name>PolicyModel</name>
    <message>
        <source>default</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Set %1 to %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Set %n tensor(s) to %1</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
</context>
<context>
    <name>PrecisionChoice</name>
    <message>
        <source>Keep 16-bit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>8-bit (int8, groups of 128)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>4-bit (int4, groups of 128)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Clear precision</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PrecisionDelegate</name>
    <message>
        <source>(policy default)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ProjectPanel</name>
    <message>
        <source>No model directory open.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Heatmap:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Magnitude (scatter):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Compare with (diff):</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Maps</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Policy</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%1&lt;br&gt;architecture: %2, %n layer(s), %3 weight file(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>unknown</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RankShiftModel</name>
    <message>
        <source>Parameter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rank in %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shift</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>log2(%1 / %2)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RegionsView</name>
    <message>
        <source>Apply to Policy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Threshold method:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tensor rank (most sensitive first)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Score</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keep the tensors left of the cut at 16-bit, quantize the other block weights to 4-bit (one undo step)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(no threshold methods available)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Apply %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ScatterView</name>
    <message>
        <source>Magnitude score (squared L2 norm)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fisher score</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open a Fisher map and a magnitude map of the same model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>selected</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Fisher vs magnitude: Spearman ρ = %1, Kendall τ = %2 (%n tensor(s))</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>; %n with a zero score not drawn</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
</context>
<context>
    <name>TaskDiffView</name>
    <message>
        <source>Tensor rank</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Score / max</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>TensorTableModel</name>
    <message>
        <source>Parameter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Layer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kind</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Parameters</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Score</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rank</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Percentile</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Precision</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>1 = most sensitive tensor of the map</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Share of tensors whose score is at most this one&apos;s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Explicit precision chosen for this tensor (empty: policy default)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <source>Explore task sensitivity maps and choose per-layer precision.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Model directories or map files.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save a PNG of every view into &lt;dir&gt;, then quit.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>taskquant::views</name>
    <message>
        <source>PNG image (*.png);;SVG drawing (*.svg);;PDF document (*.pdf)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot write the image</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot write the PDF</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot write the SVG</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unknown image type (use .png, .svg or .pdf)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
