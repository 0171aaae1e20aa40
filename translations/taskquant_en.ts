<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="en_US">
<context>
    <name>HeatmapCanvas</name>
    <message numerus="yes">
        <source>&lt;i&gt;and %n more tensor(s) in this cell&lt;/i&gt;</source>
        <translation>
            <numerusform>&lt;i&gt;and %n more tensor in this cell&lt;/i&gt;</numerusform><numerusform>&lt;i&gt;and %n more tensors in this cell&lt;/i&gt;</numerusform></translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message numerus="yes">
        <source>Reading %n map(s)</source>
        <translation>
            <numerusform>Reading %n map</numerusform><numerusform>Reading %n maps</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>Opened %n map(s).</source>
        <translation>
            <numerusform>Opened %n map.</numerusform><numerusform>Opened %n maps.</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>%n explicit precision choice(s); default %1.</source>
        <translation>
            <numerusform>%n explicit precision choice; default %1.</numerusform><numerusform>%n explicit precision choices; default %1.</numerusform></translation>
    </message>
</context>
<context>
    <name>PolicyEditor</name>
    <message numerus="yes">
        <source>%n tensor(s) with an explicit precision; others use %1.</source>
        <translation>
            <numerusform>%n tensor with an explicit precision; others use %1.</numerusform><numerusform>%n tensors with an explicit precision; others use %1.</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>%n tensor(s) without a known shape are not counted (open the model directory to get them).</source>
        <translation>
            <numerusform>%n tensor without a known shape is not counted (open the model directory to get them).</numerusform><numerusform>%n tensors without a known shape are not counted (open the model directory to get them).</numerusform></translation>
    </message>
</context>
<context>
    <name>PolicyModel</name>
    <message numerus="yes">
        <source>Set %n tensor(s) to %1</source>
        <translation>
            <numerusform>Set %n tensor to %1</numerusform><numerusform>Set %n tensors to %1</numerusform></translation>
    </message>
</context>
<context>
    <name>ProjectPanel</name>
    <message numerus="yes">
        <source>%1&lt;br&gt;architecture: %2, %n layer(s), %3 weight file(s)</source>
        <translation>
            <numerusform>%1&lt;br&gt;architecture: %2, %n layer, %3 weight file</numerusform><numerusform>%1&lt;br&gt;architecture: %2, %n layers, %3 weight files</numerusform></translation>
    </message>
</context>
<context>
    <name>ScatterView</name>
    <message numerus="yes">
        <source>Fisher vs magnitude: Spearman ρ = %1, Kendall τ = %2 (%n tensor(s))</source>
        <translation>
            <numerusform>Fisher vs magnitude: Spearman ρ = %1, Kendall τ = %2 (%n tensor)</numerusform><numerusform>Fisher vs magnitude: Spearman ρ = %1, Kendall τ = %2 (%n tensors)</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>; %n with a zero score not drawn</source>
        <translation>
            <numerusform>; %n with a zero score not drawn</numerusform><numerusform>; %n with a zero score not drawn</numerusform></translation>
    </message>
</context>
</TS>