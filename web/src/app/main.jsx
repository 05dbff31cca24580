// leadscore's page: a lead-scoring workbench that runs entirely in this browser tab.
import { render } from 'preact';
import { useEffect } from 'preact/hooks';
import 'uplot/dist/uPlot.min.css';
import './styles.css';
import { setResultsTab, setTab } from './refresh.js';
import { exportSaved, resetWorkspace, start } from './start.js';
import { useStore } from './store.js';
import { loadData } from '../data/actions.js';
import { openUserFile } from '../data/workspace.js';
import { exportRules, importRules, shareLink } from '../out/actions.js';
import { ExportButton } from '../out/ExportDialog.jsx';
import { ExportSql } from '../out/ExportSql.jsx';
import { redo, undo } from '../rules/actions.js';
import { DataPanel } from '../data/DataPanel.jsx';
import { StartPanel } from '../data/StartPanel.jsx';
import { RuleBuilder } from '../rules/RuleBuilder.jsx';
import { TiersAndCapsPanel } from '../rules/TiersAndCapsPanel.jsx';
import { RulesJsonEditor } from '../rules/RulesJsonEditor.jsx';
import { VariantBar } from '../rules/VariantBar.jsx';
import { Breakdown, LeadTable, LedgerDrawer, ScoreChart, TierCards } from '../results/Results.jsx';
import { ValidatePanel } from '../validate/ValidatePanel.jsx';
import { ComparePanel, SubsetBanner } from '../compare/ComparePanel.jsx';
import { pickFile } from '../shared/pickFile.js';
import { Guard } from '../shared/Guard.jsx';

const fmt = new Intl.NumberFormat('en-US');
const TABS = [
  ['data', 'Data'],
  ['rules', 'Rules'],
  ['model', 'Tiers & caps'],
  ['json', 'JSON'],
];

function Toolbar() {
  const { past, future, doc, data, scored, scoreMs, scoreError, shareUrl } = useStore();
  return (
    <header class="top">
      <div class="brand">
        <span class="logo" aria-hidden="true">
          ◆
        </span>
        <h1>leadscore</h1>
        <span class="muted tagline">lead scoring that stays on your computer</span>
      </div>
      <div class="status" role="status" aria-live="polite">
        {data && (
          <span class="text">
            {fmt.format(data.info.rows)} leads · {doc?.rules?.length ?? 0} rule{doc?.rules?.length === 1 ? '' : 's'}
          </span>
        )}
        {scoreError ? (
          <span class="bad">rules have errors: showing the last valid scores</span>
        ) : scored && scoreMs !== null ? (
          <span class="muted" data-testid="score-ms">
            re-scored in {Math.max(1, Math.round(scoreMs))} ms
          </span>
        ) : null}
        {!scoreError && scored?.skipped?.length > 0 && (
          <span
            class="warn"
            title={scored.skipped
              .map((d) => `${doc?.rules?.find((r) => r.id === d.ruleId)?.label || d.ruleId}: ${d.field}`)
              .join('\n')}
          >
            {scored.skipped.length} rule{scored.skipped.length === 1 ? '' : 's'} skipped: the data lacks{' '}
            {[...new Set(scored.skipped.map((d) => d.field))].slice(0, 3).join(', ')}
            {new Set(scored.skipped.map((d) => d.field)).size > 3 ? '…' : ''}
          </span>
        )}
      </div>
      <nav class="actions" aria-label="Rule set and export">
        <button
          type="button"
          onClick={undo}
          disabled={!past.length}
          title="Undo (Ctrl+Z)"
          aria-keyshortcuts="Control+Z"
        >
          ↶ Undo
        </button>
        <button
          type="button"
          onClick={redo}
          disabled={!future.length}
          title="Redo (Ctrl+Shift+Z)"
          aria-keyshortcuts="Control+Shift+Z"
        >
          ↷ Redo
        </button>
        <span class="sep" />
        <ExportButton disabled={!scored} />
        <button type="button" onClick={exportRules}>
          Export rules
        </button>
        <ExportSql disabled={!scored} />
        <button type="button" onClick={() => pickFile('.json,application/json', importRules)}>
          Import rules…
        </button>
        <button type="button" onClick={shareLink}>
          Share rules link
        </button>
        <span class="sep" />
        <button
          type="button"
          class="danger-outline"
          onClick={() =>
            confirm('Reset? Your saved rules and data in this browser are deleted and the sample is loaded.') &&
            resetWorkspace()
          }
        >
          Reset
        </button>
      </nav>
      {shareUrl && (
        <input
          class="share-url mono"
          readOnly
          value={shareUrl}
          aria-label="link to this rule set"
          onFocus={(e) => e.currentTarget.select()}
        />
      )}
    </header>
  );
}

function Notice() {
  const { notice } = useStore();
  if (!notice) return null;
  return (
    <div class={`notice ${notice.kind}`} role={notice.kind === 'error' ? 'alert' : 'status'} data-at={notice.at}>
      {notice.text}
    </div>
  );
}

// Saved work that could not be opened, and a workspace taken over by another tab: said at the
// top, with what to do, until it is dealt with.
function StoreBanner() {
  const { startProblem, otherTab } = useStore();
  if (otherTab)
    return (
      <div class="notice error store-banner" role="alert" data-testid="other-tab">
        This workspace is open in another tab, which now saves it: changes made here are not saved.{' '}
        <button type="button" onClick={() => location.reload()}>
          Reload to take over
        </button>
      </div>
    );
  if (!startProblem) return null;
  return (
    <div class="notice error store-banner" role="alert" data-testid="start-problem">
      {startProblem.message}{' '}
      <button type="button" onClick={exportSaved}>
        Export what is readable
      </button>{' '}
      <button
        type="button"
        onClick={() => {
          if (confirm('Clear all saved work in this browser and start again with the sample?')) resetWorkspace();
        }}
      >
        Reset saved work
      </button>
    </div>
  );
}

function Editor() {
  const { tab, doc } = useStore();
  return (
    <div class="editor">
      <VariantBar />
      <StartPanel />
      <div class="tabs" role="tablist" aria-label="Edit">
        {TABS.map(([id, label]) => (
          <button
            type="button"
            role="tab"
            id={`tab-${id}`}
            aria-selected={tab === id ? 'true' : 'false'}
            aria-controls={`panel-${id}`}
            tabIndex={tab === id ? 0 : -1}
            onClick={() => setTab(id)}
            onKeyDown={(e) => {
              const k = TABS.findIndex(([t]) => t === id);
              if (e.key === 'ArrowRight' || e.key === 'ArrowLeft') {
                const next = TABS[(k + (e.key === 'ArrowRight' ? 1 : TABS.length - 1)) % TABS.length][0];
                setTab(next);
                setTimeout(() => document.getElementById(`tab-${next}`)?.focus());
              }
            }}
          >
            {label}
          </button>
        ))}
      </div>
      <div class="panel" role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`}>
        <Guard key={tab} resetOn={doc} what="This tab">
          {tab === 'data' && <DataPanel />}
          {tab === 'rules' && <RuleBuilder />}
          {tab === 'model' && <TiersAndCapsPanel />}
          {tab === 'json' && <RulesJsonEditor />}
        </Guard>
      </div>
    </div>
  );
}

const RESULT_TABS = [
  ['scores', 'Scores'],
  ['validate', 'Validate against outcomes'],
  ['compare', 'Compare rule sets'],
];

function Results() {
  const { resultsTab, data, loading, loadError, ready, compareWith, doc } = useStore();
  return (
    <div class="results">
      {!data && (
        <p class="muted loading-first">
          {loading
            ? `Loading ${loading.name}…`
            : !ready
              ? 'Starting…'
              : `No data is loaded${loadError ? ` (${loadError.message})` : ''}: open a file in the Data tab.`}
        </p>
      )}
      <TierCards />
      <div class="tabs results-tabs" role="tablist" aria-label="Results">
        {RESULT_TABS.map(([id, label]) => (
          <button
            type="button"
            role="tab"
            id={`rtab-${id}`}
            aria-selected={resultsTab === id ? 'true' : 'false'}
            aria-controls={`rpanel-${id}`}
            onClick={() => setResultsTab(id)}
          >
            {label}
            {id === 'compare' && compareWith ? ' (A vs B)' : ''}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`rpanel-${resultsTab}`} aria-labelledby={`rtab-${resultsTab}`} class="results-panel">
        <Guard key={resultsTab} resetOn={doc} what="The results">
          {resultsTab === 'scores' && (
            <>
              <div class="charts">
                <ScoreChart />
                <Breakdown />
              </div>
              <SubsetBanner />
              <LeadTable />
            </>
          )}
          {resultsTab === 'validate' && <ValidatePanel />}
          {resultsTab === 'compare' && <ComparePanel />}
        </Guard>
      </div>
    </div>
  );
}

function App() {
  const { ready, loading } = useStore();
  useEffect(() => {
    const onKey = (e) => {
      const inText =
        e.target instanceof HTMLElement &&
        (e.target.matches('input[type=text], input[type=search], input:not([type]), textarea') ||
          e.target.isContentEditable);
      if (!(e.ctrlKey || e.metaKey) || inText) return;
      if (e.key.toLowerCase() === 'z' && !e.shiftKey) {
        e.preventDefault();
        undo();
      } else if ((e.key.toLowerCase() === 'z' && e.shiftKey) || e.key.toLowerCase() === 'y') {
        e.preventDefault();
        redo();
      }
    };
    const onDragOver = (e) => e.preventDefault();
    const onDrop = (e) => {
      if (e.defaultPrevented) return;
      e.preventDefault();
      const f = e.dataTransfer?.files?.[0];
      if (f) openUserFile(f);
    };
    // Paste anywhere outside a text box: the clipboard's table becomes the data.
    const onPaste = (e) => {
      const t = e.target;
      if (t instanceof HTMLElement && t.matches('input, textarea, [contenteditable]')) return;
      const text = e.clipboardData?.getData('text');
      if (text && text.includes('\n')) {
        e.preventDefault();
        loadData(text, 'Pasted data');
      }
    };
    addEventListener('paste', onPaste);
    addEventListener('keydown', onKey);
    addEventListener('dragover', onDragOver);
    addEventListener('drop', onDrop);
    return () => {
      removeEventListener('paste', onPaste);
      removeEventListener('keydown', onKey);
      removeEventListener('dragover', onDragOver);
      removeEventListener('drop', onDrop);
    };
  }, []);
  return (
    <>
      <Toolbar />
      <StoreBanner />
      <Notice />
      <main class="layout" aria-busy={!ready || !!loading ? 'true' : 'false'}>
        <Editor />
        <Results />
        <LedgerDrawer />
      </main>
    </>
  );
}

render(<App />, document.getElementById('app'));
start().catch((e) => {
  document.getElementById('app').insertAdjacentText('afterbegin', `leadscore could not start: ${e.message}`);
});
