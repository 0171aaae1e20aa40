#include "app/studio/main_window.h"

#include <QActionGroup>
#include <QApplication>
#include <QCloseEvent>
#include <QDockWidget>
#include <QDragEnterEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QScrollArea>
#include <QSettings>
#include <QStatusBar>
#include <QTabWidget>
#include <QUndoStack>
#include <QVBoxLayout>
#include <algorithm>
#include <qcustomplot.h>

#include "app/studio/close_guard.h"
#include "app/studio/default_precision_command.h"
#include "app/studio/engine_actions.h"
#include "app/studio/frontier_actions.h"
#include "app/studio/job_runner.h"
#include "app/studio/jobs_panel.h"
#include "app/studio/live_cost.h"
#include "app/studio/live_cost_ui.h"
#include "app/studio/message_bar.h"
#include "app/studio/project_panel.h"
#include "app/studio/result_files.h"
#include "app/studio/start_policy.h"
#include "app/studio/threshold_cuts.h"
#include "app/studio/transfer_actions.h"
#include "app/studio/window_menus.h"
#include "views/heatmap_canvas.h"
#include "views/heatmap_view.h"
#include "views/map_list_model.h"
#include "views/plot_export.h"
#include "views/policy_editor.h"
#include "views/policy_model.h"
#include "views/precision_choice.h"
#include "views/regions_view.h"
#include "views/scatter_view.h"
#include "views/task_diff_view.h"
#include "views/tensor_selection.h"

namespace taskquant::studio {

StudioContext MainWindow::studioContext() {
    StudioContext c;
    c.window = this;
    c.jobs = jobs_;
    c.maps = maps_;
    c.policy = policy_;
    c.selection = selection_;
    c.messageBar = messageBar_;
    c.tabs = tabs_;
    c.heatmap = heatmap_;
    c.modelDirectory = [this] { return modelDir_; };
    c.choices = [this] { return currentChoices(); };
    c.defaultPrecision = [this] { return defaultPrecision_; };
    c.addMaps = [this](const std::vector<MapPtr>& maps, int focus) { addMaps(maps, focus); };
    c.exportPlot = [this](const QString& path) { return exportPlot(path); };
    c.sizeModel = [this]() -> const exporting::LiveCostModel* {
        return liveCost_ && liveCost_->cost() ? &liveCost_->cost()->model() : nullptr;
    };
    c.damageTable = [this](std::shared_ptr<const policy::ErrorTable> t) {
        if (liveCost_ && t)
            liveCost_->setErrorTable(std::move(t));
    };
    c.policyMeasured = [this](double kld) {
        if (liveCost_)
            liveCost_->setMeasured(kld);
    };
    return c;
}

int applyLlamaMix(MainWindow* window, const QString& name) {
    return applyLlamaMix(window->studioContext(), name);
}

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent), jobs_(new JobRunner(this)), maps_(new views::MapListModel(this)),
      policy_(new views::PolicyModel(this)), selection_(new views::TensorSelection(this)),
      tabs_(new QTabWidget(this)), heatmap_(new views::HeatmapView),
      scatter_(new views::ScatterView), diff_(new views::TaskDiffView),
      regions_(new views::RegionsView), editor_(new views::PolicyEditor),
      project_(new ProjectPanel(maps_)), jobsPanel_(new JobsPanel(jobs_)),
      messageBar_(new MessageBar), engine_(nullptr) {
    engine_ = new EngineActions(studioContext(), this);
    setWindowTitle(tr("TaskQuant Studio"));
    setAcceptDrops(true);
    tabs_->addTab(heatmap_, tr("Heatmap"));
    tabs_->addTab(scatter_, tr("Fisher vs Magnitude"));
    tabs_->addTab(diff_, tr("Task Diff"));
    tabs_->addTab(regions_, tr("Regions"));
    tabs_->addTab(editor_, tr("Policy"));
    // adds the Frontier and Damage Validation tabs
    frontier_ = new FrontierActions(studioContext(), this);
    transfer_ = new TransferActions(studioContext(), this); // adds the Task Transfer tab
    auto* central = new QWidget(this);
    auto* centralLayout = new QVBoxLayout(central);
    centralLayout->setContentsMargins(0, 0, 0, 0);
    centralLayout->setSpacing(2);
    centralLayout->addWidget(messageBar_);
    centralLayout->addWidget(tabs_, 1);
    setCentralWidget(central);

    heatmap_->setSelectionModel(selection_);
    heatmap_->setPolicyModel(policy_);
    scatter_->setSelectionModel(selection_);
    diff_->setSelectionModel(selection_);
    regions_->setPolicyModel(policy_);
    regions_->setCutProvider(&studyThresholdRegions);
    editor_->setSelectionModel(selection_);
    editor_->setPolicyModel(policy_);
    editor_->setDefaultPrecision(defaultPrecision_);

    auto* projectDock = new QDockWidget(tr("Project"), this);
    projectDock->setObjectName(QStringLiteral("projectDock"));
    projectDock->setWidget(project_);
    addDockWidget(Qt::LeftDockWidgetArea, projectDock);
    auto* jobsDock = new QDockWidget(tr("Jobs"), this);
    jobsDock->setObjectName(QStringLiteral("jobsDock"));
    auto* jobsScroll = new QScrollArea; // many jobs scroll; they never heighten the window
    jobsScroll->setWidget(jobsPanel_);
    jobsScroll->setWidgetResizable(true);
    jobsScroll->setFrameShape(QFrame::NoFrame);
    jobsDock->setWidget(jobsScroll);
    addDockWidget(Qt::LeftDockWidgetArea, jobsDock);

    connect(project_, &ProjectPanel::rolesChanged, this, [this] { applyRoles(project_->roles()); });
    connect(policy_, &views::PolicyModel::choicesChanged, this, &MainWindow::updatePolicyStatus);
    connect(policy_->undoStack(), &QUndoStack::indexChanged, this, &MainWindow::updatePolicyStatus);
    connect(policy_->undoStack(), &QUndoStack::cleanChanged, this, &MainWindow::updatePolicyStatus);
    connect(editor_, &views::PolicyEditor::optimiseRequested, this, &MainWindow::optimise);
    connect(jobs_, &JobRunner::jobFailed, this,
            [this](int id, const QString& title, const QString& message) {
                failedJob_ = id;
                showError(title, message);
            });
    // A job started after the last error that succeeds clears the error banner.
    connect(jobs_, &JobRunner::jobStarted, this, [this](int id) { lastStartedJob_ = id; });
    connect(jobs_, &JobRunner::jobFinished, this, [this](int id) {
        if (id > failedJob_)
            messageBar_->hide();
    });
    connect(jobs_, &JobRunner::jobCancelled, this,
            [this] { statusBar()->showMessage(tr("Job cancelled; nothing was written."), 5000); });
    connect(jobs_, &JobRunner::jobReported, this,
            [this](const QString& message, int ms) { statusBar()->showMessage(message, ms); });
    createMenus();
    updatePolicyStatus();
    setModelDirectory(QString());

    QSettings s;
    restoreGeometry(s.value(QStringLiteral("window/geometry")).toByteArray());
    restoreState(s.value(QStringLiteral("window/state")).toByteArray());
    heatmap_->setNormaliseToMax(s.value(QStringLiteral("view/normalise"), false).toBool());
    if (!s.contains(QStringLiteral("window/geometry")))
        resize(1280, 820);
}

MainWindow::~MainWindow() {
    jobs_->cancelAll();
}

void MainWindow::createMenus() {
    QMenu* file = menuBar()->addMenu(tr("&File"));
    file->addAction(
        tr("Open &Model Directory…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O), this, [this] {
            const QString d = QFileDialog::getExistingDirectory(this, tr("Open Model Directory"));
            if (!d.isEmpty())
                openModelDirectory(d);
        });
    file->addAction(tr("&Open…"), QKeySequence::Open, this, [this] {
        const QStringList f = QFileDialog::getOpenFileNames(
            this, tr("Open"), QString(),
            tr("TaskQuant files: maps, policies, error tables, frontiers, validations, task "
               "transfers (*.json);;"
               "TaskQuant GGUF files: their policy (*.gguf);;All files (*)"));
        if (!f.isEmpty())
            openPaths(f);
    });
    recentMenu_ = file->addMenu(tr("Open &Recent"));
    rebuildRecentMenu();
    file->addSeparator();
    file->addAction(tr("&Load Policy…"), QKeySequence(Qt::CTRL | Qt::Key_L), this, [this] {
        const QString f =
            QFileDialog::getOpenFileName(this, tr("Load Policy"), QString(),
                                         tr("Policies (*.json);;TaskQuant GGUF files (*.gguf)"));
        if (!f.isEmpty())
            loadPolicy(f);
    });
    file->addAction(tr("&Save Policy…"), QKeySequence::Save, this, [this] {
        const QString f =
            askSavePath(tr("Save Policy"), tr("Policies (*.json)"), QStringLiteral("json"));
        if (!f.isEmpty())
            savePolicy(f);
    });
    file->addAction(engine_->exportModelAction());
    file->addAction(tr("Save &Map As…"), this, [this] {
        const QString f =
            askSavePath(tr("Save Map"), tr("Sensitivity maps (*.json)"), QStringLiteral("json"));
        if (!f.isEmpty())
            saveMap(f);
    });
    file->addSeparator();
    file->addAction(tr("Export &Plot…"), QKeySequence(Qt::CTRL | Qt::Key_E), this, [this] {
        const QString f = QFileDialog::getSaveFileName(this, tr("Export Plot"), QString(),
                                                       views::plotExportFilter());
        if (!f.isEmpty())
            exportPlot(f);
    });
    file->addAction(tr("Export &CSV…"), this, [this] {
        const QString f =
            askSavePath(tr("Export CSV"), tr("CSV files (*.csv)"), QStringLiteral("csv"));
        if (!f.isEmpty())
            exportCsv(f);
    });
    file->addSeparator();
    file->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);

    QMenu* edit = menuBar()->addMenu(tr("&Edit"));
    QAction* undo = policy_->undoStack()->createUndoAction(this, tr("&Undo"));
    undo->setShortcut(QKeySequence::Undo);
    QAction* redo = policy_->undoStack()->createRedoAction(this, tr("&Redo"));
    redo->setShortcut(QKeySequence::Redo);
    edit->addAction(undo);
    edit->addAction(redo);
    edit->addSeparator();
    QMenu* precision = edit->addMenu(tr("Set &Precision of Selection"));
    for (views::PrecisionChoice c : views::allPrecisionChoices())
        precision->addAction(views::precisionChoiceLabel(c), this,
                             [this, c] { heatmap_->canvas()->applyPrecision(c); });
    edit->addAction(tr("Clear &Selection"), this, [this] { selection_->clear(); });
    liveCost_ = installLiveCost(this, studioContext(), editor_, edit);

    QMenu* view = menuBar()->addMenu(tr("&View"));
    QAction* normalise = view->addAction(tr("&Normalise Scores to Maximum"));
    normalise->setCheckable(true);
    normalise->setChecked(heatmap_->normaliseToMax());
    connect(normalise, &QAction::toggled, this, [this](bool on) {
        heatmap_->setNormaliseToMax(on);
        QSettings().setValue(QStringLiteral("view/normalise"), on);
    });
    views::HeatmapCanvas* canvas = heatmap_->canvas();
    view->addActions({canvas->zoomInAction(), canvas->zoomOutAction(), canvas->fitAction()});
    for (int i = 0; i < tabs_->count(); ++i)
        view->addAction(tabs_->tabText(i), QKeySequence(Qt::ALT | (Qt::Key_1 + i)), this,
                        [this, i] { tabs_->setCurrentIndex(i); });

    addDockToggles(this, view);

    QMenu* analysis = menuBar()->addMenu(tr("&Analysis"));
    engine_->addAnalysisActions(analysis);
    frontier_->addAnalysisActions(analysis);
    transfer_->addAnalysisActions(analysis);

    QMenu* settings = menuBar()->addMenu(tr("&Settings"));
    QMenu* language = settings->addMenu(tr("&Language"));
    auto* group = new QActionGroup(this);
    const QString current = QSettings().value(QStringLiteral("ui/language")).toString();
    for (const auto& [code, label] : {std::pair{QString(), tr("System")},
                                      std::pair{QStringLiteral("en"), QStringLiteral("English")},
                                      std::pair{QStringLiteral("de"), QStringLiteral("Deutsch")}}) {
        QAction* a = language->addAction(label);
        a->setCheckable(true);
        a->setChecked(code == current);
        group->addAction(a);
        connect(a, &QAction::triggered, this, [this, code = code] {
            QSettings().setValue(QStringLiteral("ui/language"), code);
            statusBar()->showMessage(tr("The language changes at the next start."), 5000);
        });
    }
    QMenu* help = menuBar()->addMenu(tr("&Help"));
    addHelpActions(this, help);
    help->addAction(tr("&About TaskQuant Studio"), this, [this] {
        QMessageBox::about(this, tr("About TaskQuant Studio"),
                           tr("<b>TaskQuant Studio</b> %1<br>Task-aware sensitivity maps and "
                              "mixed-precision policies for language models.")
                               .arg(QApplication::applicationVersion()));
    });
}

void MainWindow::rebuildRecentMenu() {
    recentMenu_->clear();
    const QStringList paths = recent_.paths();
    for (const QString& p : paths)
        recentMenu_->addAction(p, this, [this, p] { openPaths({p}); });
    if (paths.isEmpty())
        recentMenu_->addAction(tr("(none)"))->setEnabled(false);
    else {
        recentMenu_->addSeparator();
        recentMenu_->addAction(tr("Clear List"), this, [this] {
            recent_.clear();
            rebuildRecentMenu();
        });
    }
}

void MainWindow::openPaths(const QStringList& paths) {
    QStringList files;
    for (const QString& p : paths) {
        if (QFileInfo(p).isDir())
            openModelDirectory(p);
        else if (p.endsWith(QStringLiteral(".gguf"), Qt::CaseInsensitive))
            loadPolicy(p); // a TaskQuant GGUF restores the policy it was made with
        else
            files << p;
    }
    if (!files.isEmpty())
        openResultFiles(this, files);
}

void MainWindow::openMaps(const QStringList& files) {
    jobs_->runThenReport<std::vector<MapPtr>>(
        QStringLiteral("open-maps"), tr("Reading %n map(s)", nullptr, int(files.size())),
        [files](const JobControl& c) { return readMaps(files, c); },
        [this, files](std::shared_ptr<const std::vector<MapPtr>> maps) {
            addMaps(*maps);
            for (const QString& f : files)
                recent_.add(f);
            rebuildRecentMenu();
            return JobReport{tr("Opened %n map(s).", nullptr, int(maps->size()))};
        });
}

void MainWindow::addMaps(const std::vector<MapPtr>& maps, int focus) {
    int focusRow = -1;
    for (std::size_t i = 0; i < maps.size(); ++i) {
        const int row = maps_->addMap(maps[i]);
        if (int(i) == focus)
            focusRow = row;
    }
    MapRoles roles = guessMapRoles(maps_->maps());
    if (focusRow >= 0) {
        const MapPtr m = maps_->mapAt(focusRow);
        if (mapFamily(*m) == "magnitude" && roles.primary >= 0 && roles.primary != focusRow)
            roles.magnitude = focusRow;
        else {
            roles.primary = focusRow;
            if (roles.compare == focusRow)
                roles.compare = -1;
        }
    }
    project_->setRoles(roles);
    applyRoles(roles);
}

void MainWindow::setModelDirectory(const QString& dir) {
    modelDir_ = dir;
    engine_->setModelDirectory(dir);
    if (liveCost_)
        liveCost_->setModelDirectory(dir);
    frontier_->setModelDirectory(dir);
    transfer_->setModelDirectory(dir);
}

Choices MainWindow::currentChoices() const {
    return policy_->choices();
}

void MainWindow::openModelDirectory(const QString& dir) {
    if (!modelDir_.isEmpty() && QFileInfo(dir) != QFileInfo(modelDir_) &&
        !confirmPolicyEditsHandled(this, tr("Open Model Directory")))
        return;
    jobs_->runThenReport<ModelInfo>(
        QStringLiteral("open-model"), tr("Reading model directory"),
        [dir](const JobControl& c) { return readModelInfo(dir, c); },
        [this, dir](std::shared_ptr<const ModelInfo> info) {
            project_->setModelInfo(*info);
            setModelDirectory(dir);
            applyStartPolicy(this); // llama.cpp's Q4_K_M unless a policy is there
            recent_.add(dir);
            rebuildRecentMenu();
            return JobReport();
        });
}

void MainWindow::applyRoles(const MapRoles& r) {
    const MapPtr primary = maps_->mapAt(r.primary);
    heatmap_->setMap(primary);
    regions_->setMap(primary);
    editor_->setMap(primary);
    liveCost_->setScores(primary);
    scatter_->setMaps(primary, maps_->mapAt(r.magnitude));
    diff_->setMaps(primary, maps_->mapAt(r.compare));
    setWindowTitle(primary ? tr("%1 — TaskQuant Studio").arg(views::MapListModel::labelOf(*primary))
                           : tr("TaskQuant Studio"));
    updatePolicyStatus();
}

int MainWindow::exportCsv(const QString& path) {
    const MapPtr map = heatmap_->map();
    if (!map) {
        showError(tr("Export CSV"), tr("Open a map first."));
        return 0;
    }
    const auto choices = policy_->choices();
    return jobs_->runThenReport<bool>(
        QStringLiteral("export-csv"), tr("Exporting %1").arg(QFileInfo(path).fileName()),
        [map, choices, path](const JobControl& c) {
            exportTensorCsv(map, choices, path, c);
            return true;
        },
        [this, path](std::shared_ptr<const bool>) { return JobReport{tr("Wrote %1").arg(path)}; });
}

int MainWindow::optimise(double budget, bool unitMiB) {
    const MapPtr map = heatmap_->map();
    if (!map) {
        showError(tr("Optimise"), tr("Open a map first."));
        return 0;
    }
    OptimiseRequest q;
    q.map = map;
    q.errors = liveCost_ ? liveCost_->errorTable() : nullptr;
    q.modelDir = modelDir_;
    q.budget = budget;
    q.unit = unitMiB ? BudgetUnit::MiB : BudgetUnit::BitsPerWeight;
    const QString budgetText = unitMiB ? tr("%1 MiB").arg(budget, 0, 'g', 6)
                                       : tr("%1 bits per weight").arg(budget, 0, 'g', 6);
    return jobs_->runThenReport<OptimiseResult>(
        QStringLiteral("optimise"), tr("Optimal allocation within %1").arg(budgetText),
        [q](const JobControl& c) { return optimiseChoices(q, c); },
        [this, budgetText](std::shared_ptr<const OptimiseResult> r) {
            policy_->replaceAll(r->choices, tr("Optimise to %1").arg(budgetText));
            const QString bytes =
                tr("%1 of %2 GGUF tensor bytes (%3 bits per weight)")
                    .arg(r->tensorBytes)
                    .arg(r->budgetBytes)
                    .arg(8.0 * double(r->tensorBytes) / double(std::max<int64_t>(1, r->parameters)),
                         0, 'f', 3);
            const QString how = r->proxy ? tr("no error table, proxy error 2^(-2*bits) x map score")
                                : r->damageModel
                                    ? tr("predicted KL of the damage model (error table)")
                                    : tr("score-weighted error of the error table");
            return JobReport{tr("Optimised within %1 by %3: %2.").arg(budgetText, bytes, how),
                             10000};
        });
}

int MainWindow::runFisher(const FisherRequest& request) {
    return engine_->runFisher(request);
}
int MainWindow::runMagnitude(const MagnitudeRequest& request) {
    return engine_->runMagnitude(request);
}
int MainWindow::evaluatePolicy(const EvaluationRequest& request) {
    return engine_->evaluatePolicy(request);
}
int MainWindow::exportModel(const ExportRequest& request) {
    return engine_->exportModel(request);
}
EvaluationPtr MainWindow::lastEvaluation() const {
    return engine_->lastEvaluation();
}
EvaluationResultDialog* MainWindow::evaluationDialog() const {
    return engine_->evaluationDialog();
}
QList<QAction*> MainWindow::engineActions() const {
    return engine_->actions();
}

int MainWindow::saveMap(const QString& path) {
    const MapPtr map = heatmap_->map();
    if (!map) {
        showError(tr("Save Map"), tr("Open or compute a map first."));
        return 0;
    }
    return jobs_->runThenReport<bool>(
        QStringLiteral("save-map"), tr("Saving %1").arg(QFileInfo(path).fileName()),
        [map, path](const JobControl& c) {
            saveMapFile(map, path, c);
            return true;
        },
        [this, path](std::shared_ptr<const bool>) { return JobReport{tr("Wrote %1").arg(path)}; });
}

int MainWindow::exportPlot(const QString& path) {
    QWidget* w = tabs_->currentWidget();
    if (w == scatter_)
        w = scatter_->plot();
    else if (w == regions_)
        w = regions_->plot();
    else if (auto* p = w->property("exportWidget").value<QWidget*>())
        w = p; // views that name their plot (Frontier, Damage Validation)
    auto plot = std::make_shared<views::RenderedPlot>();
    QString error;
    if (!views::renderPlot(w, path, plot.get(), &error)) {
        showError(tr("Export Plot"), error);
        return 0;
    }
    return jobs_->runThenReport<bool>(
        QStringLiteral("export-plot"), tr("Exporting %1").arg(QFileInfo(path).fileName()),
        [plot, path](const JobControl& c) {
            c.check();
            views::writePlot(*plot, path);
            return true;
        },
        [this, path](std::shared_ptr<const bool>) { return JobReport{tr("Wrote %1").arg(path)}; });
}

int MainWindow::savePolicy(const QString& path) {
    const MapPtr map = heatmap_->map();
    const Choices choices = policy_->choices();
    const quant::Precision def = defaultPrecision_;
    const int undoIndex = policy_->undoStack()->index();
    return jobs_->runThenReport<bool>(
        QStringLiteral("save-policy"), tr("Saving %1").arg(QFileInfo(path).fileName()),
        [choices, def, map, path](const JobControl& c) {
            c.check();
            savePolicyJson(choices, def, map, path);
            return true;
        },
        [this, undoIndex](std::shared_ptr<const bool>) {
            if (policy_->undoStack()->index() == undoIndex) // what was saved is what is shown
                policy_->undoStack()->setClean();
            return JobReport();
        });
}

namespace {
struct LoadedPolicy {
    Choices choices;
    quant::Precision defaultPrecision;
};
} // namespace

int MainWindow::loadPolicy(const QString& path) {
    return jobs_->runThenReport<LoadedPolicy>(
        QStringLiteral("load-policy"), tr("Loading %1").arg(QFileInfo(path).fileName()),
        [path](const JobControl& c) {
            c.check();
            LoadedPolicy p;
            p.choices = loadPolicyJson(path, &p.defaultPrecision);
            return p;
        },
        [this, path](std::shared_ptr<const LoadedPolicy> p) {
            applyLoadedPolicy(p->choices, p->defaultPrecision, path);
            return JobReport{tr("Loaded policy %1").arg(path)};
        });
}

int MainWindow::loadPolicies(const QStringList& paths) {
    using Loaded = std::vector<LoadedPolicy>;
    return jobs_->runThenReport<Loaded>(
        QStringLiteral("load-policy"), tr("Loading %n policy file(s)", nullptr, int(paths.size())),
        [paths](const JobControl& c) {
            Loaded all;
            for (const QString& path : paths) {
                c.check();
                LoadedPolicy p;
                p.choices = loadPolicyJson(path, &p.defaultPrecision);
                all.push_back(p);
            }
            return all;
        },
        [this, paths](std::shared_ptr<const Loaded> all) {
            for (std::size_t i = 0; i < all->size(); ++i)
                applyLoadedPolicy((*all)[i].choices, (*all)[i].defaultPrecision, paths[int(i)]);
            return JobReport{tr("Loaded %n policy file(s); current: %1", nullptr, int(paths.size()))
                                 .arg(paths.back())};
        });
}

void MainWindow::applyLoadedPolicy(const Choices& choices, const quant::Precision& def,
                                   const QString& path) {
    // One undo step restores the previous choices and default precision alike.
    const QString text = tr("Load %1").arg(QFileInfo(path).fileName());
    QUndoStack* undo = policy_->undoStack();
    undo->beginMacro(text);
    undo->push(new DefaultPrecisionCommand(
        defaultPrecision_, def, [this](const quant::Precision& d) { applyDefaultPrecision(d); },
        text));
    policy_->replaceAll(choices, text);
    undo->endMacro();
    undo->setClean(); // what is shown is the file's policy
    setPolicyOrigin(tr("Policy file %1").arg(QFileInfo(path).fileName()));
    recent_.add(path);
    rebuildRecentMenu();
}

void MainWindow::rememberRecent(const QStringList& paths) {
    for (const QString& p : paths)
        recent_.add(p);
    rebuildRecentMenu();
}

void MainWindow::applyDefaultPrecision(const quant::Precision& p) {
    defaultPrecision_ = p;
    editor_->setDefaultPrecision(p);
    if (liveCost_)
        liveCost_->setDefaultPrecision(p);
    updatePolicyStatus();
    // Listeners of the policy (live cost, frontier point) recompute on choicesChanged.
    emit policy_->choicesChanged({});
}

void MainWindow::updatePolicyStatus() {
    QString text =
        tr("%n explicit precision choice(s); default %1.", nullptr, int(policy_->choices().size()))
            .arg(QString::fromStdString(defaultPrecision_.name()));
    if (!policyOrigin_.isEmpty())
        text =
            (!policy_->undoStack()->isClean() ? tr("%1 (edited)") : tr("%1")).arg(policyOrigin_) +
            QLatin1Char('\n') + text;
    project_->setPolicyText(text);
}

void MainWindow::setPolicyOrigin(const QString& origin) {
    policyOrigin_ = origin;
    updatePolicyStatus();
}

void MainWindow::showError(const QString& title, const QString& message) {
    failedJob_ = std::max(failedJob_, lastStartedJob_); // cleared by a job started later
    messageBar_->showError(title, message);
}

void MainWindow::reportError(const QString& title, const QString& message) {
    showError(title, message);
}

QString MainWindow::askSavePath(const QString& title, const QString& filter,
                                const QString& suffix) {
    QString f = QFileDialog::getSaveFileName(this, title, QString(), filter);
    if (!f.isEmpty() && QFileInfo(f).suffix().isEmpty())
        f += QLatin1Char('.') + suffix;
    return f;
}

void MainWindow::dragEnterEvent(QDragEnterEvent* e) {
    if (e->mimeData()->hasUrls())
        e->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* e) {
    QStringList paths;
    for (const QUrl& u : e->mimeData()->urls())
        if (u.isLocalFile())
            paths << u.toLocalFile();
    if (!paths.isEmpty()) {
        openPaths(paths);
        e->acceptProposedAction();
    }
}

void MainWindow::closeEvent(QCloseEvent* e) {
    if (!confirmPolicyEditsHandled(this, tr("Quit"))) {
        e->ignore();
        return;
    }
    QSettings s;
    s.setValue(QStringLiteral("window/geometry"), saveGeometry());
    s.setValue(QStringLiteral("window/state"), saveState());
    jobs_->cancelAll();
    QMainWindow::closeEvent(e);
}

} // namespace taskquant::studio
