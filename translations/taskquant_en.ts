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
<context>
    <name>EvaluateDialog</name>
    <message numerus="yes">
        <source>%n explicit choice(s); default %1</source>
        <translation>
            <numerusform>%n explicit choice; default %1</numerusform><numerusform>%n explicit choices; default %1</numerusform></translation>
    </message>
</context>
<context>
    <name>ExportDialog</name>
    <message numerus="yes">
        <source>%n tensor(s) with an explicit precision from the policy editor; every other tensor gets the default scheme.</source>
        <translation>
            <numerusform>%n tensor with an explicit precision from the policy editor; every other tensor gets the default scheme.</numerusform><numerusform>%n tensors with an explicit precision from the policy editor; every other tensor gets the default scheme.</numerusform></translation>
    </message>
</context>
<context>
    <name>EngineActions</name>
    <message numerus="yes">
        <source>Fisher map: %n sample(s) of %1</source>
        <translation>
            <numerusform>Fisher map: %n sample of %1</numerusform><numerusform>Fisher map: %n samples of %1</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>Fisher map of %n tensor(s) ready; File &gt; Save Map As… keeps it.</source>
        <translation>
            <numerusform>Fisher map of %n tensor ready; File &gt; Save Map As… keeps it.</numerusform><numerusform>Fisher map of %n tensors ready; File &gt; Save Map As… keeps it.</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>Fisher map of %n tensor(s) written to %1.</source>
        <translation>
            <numerusform>Fisher map of %n tensor written to %1.</numerusform><numerusform>Fisher map of %n tensors written to %1.</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>Magnitude map of %n tensor(s) ready; File &gt; Save Map As… keeps it.</source>
        <translation>
            <numerusform>Magnitude map of %n tensor ready; File &gt; Save Map As… keeps it.</numerusform><numerusform>Magnitude map of %n tensors ready; File &gt; Save Map As… keeps it.</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>Magnitude map of %n tensor(s) written to %1.</source>
        <translation>
            <numerusform>Magnitude map of %n tensor written to %1.</numerusform><numerusform>Magnitude map of %n tensors written to %1.</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>; %n note(s), e.g. %1</source>
        <translation>
            <numerusform>; %n note, e.g. %1</numerusform><numerusform>; %n notes, e.g. %1</numerusform></translation>
    </message>
</context>
</TS>