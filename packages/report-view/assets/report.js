// The report page's behaviour: sortable tables, charts (Chart.js, loaded before this script), rows and
// run details fetched on demand, live refresh of a running sweep, and the re-aggregate action. Plain
// browser script, no modules, so a self-contained report can inline it. Every string from the data is
// set as text, never HTML; HTML comes only from this origin's own fragments.
(() => {
  const HEADS = ['position', 'shape', 'colour'];
  const REFRESH_MS = 5000;
  const AXES = {
    position_mae_px: 'position MAE (px)',
    shape_error: 'shape error (%)',
    colour_error: 'colour error (%)',
    parameters: 'parameters',
    duration_s: 'training time (s)',
  };
  let charts = [];

  function data() {
    const element = document.getElementById('sweep-data');
    return element ? JSON.parse(element.textContent) : null;
  }

  function sortTables(root) {
    for (const table of root.querySelectorAll('table.sortable')) {
      const headers = [...table.tHead.rows[0].cells];
      headers.forEach((th, column) => {
        th.querySelector('button').addEventListener('click', () => {
          const ascending = th.getAttribute('aria-sort') !== 'ascending';
          for (const other of headers) other.removeAttribute('aria-sort');
          th.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
          const numeric = th.dataset.sortKind === 'num';
          const key = (row) => row.cells[column].dataset.sort ?? row.cells[column].textContent;
          const rows = [...table.tBodies[0].rows];
          rows.sort((a, b) => {
            const [x, y] = [key(a), key(b)];
            const order = numeric
              ? (x === '' ? Infinity : Number(x)) - (y === '' ? Infinity : Number(y))
              : x.localeCompare(y);
            return ascending ? order : -order;
          });
          table.tBodies[0].append(...rows);
        });
      });
    }
  }

  function chart(canvas, config) {
    if (!window.Chart || !canvas) return;
    config.options = { animation: false, maintainAspectRatio: false, ...config.options };
    charts.push(new window.Chart(canvas, config));
  }

  function scatter(sweep) {
    const select = document.getElementById('hp-select');
    const canvas = document.getElementById('hp-chart');
    if (!select || !canvas) return;
    const configs = new Map(sweep.configs.map((c) => [c.rank, c]));
    const draw = () => {
      const key = select.value;
      const value = (run) => configs.get(run[0])?.config[key] ?? null;
      const numeric = sweep.runs.every((run) => typeof value(run) === 'number');
      const categories = [...new Set(sweep.runs.map((run) => JSON.stringify(value(run))))];
      const points = sweep.runs.map((run) => ({
        x: numeric ? value(run) : JSON.stringify(value(run)),
        y: run[1],
        trial: run[2],
      }));
      const old = window.Chart?.getChart(canvas);
      if (old) old.destroy();
      chart(canvas, {
        type: 'scatter',
        data: { datasets: [{ label: sweep.objective.metric, data: points, pointRadius: 4 }] },
        options: {
          scales: {
            x: numeric
              ? { type: 'linear', title: { display: true, text: key } }
              : { type: 'category', labels: categories, title: { display: true, text: key } },
            y: { title: { display: true, text: `${sweep.objective.metric} (${sweep.objective.split})` } },
          },
          plugins: {
            legend: { display: false },
            tooltip: { callbacks: { label: (item) => `${item.raw.trial}: ${item.raw.y}` } },
          },
        },
      });
    };
    select.addEventListener('change', draw);
    draw();
  }

  function pareto(sweep) {
    const names = new Map(sweep.configs.map((c) => [c.rank, c.name]));
    const scale = (axis, v) => (axis.endsWith('_error') ? v * 100 : v);
    sweep.pareto.charts.forEach((spec, i) => {
      const canvas = document.querySelector(`canvas[data-pareto="${i}"]`);
      const front = new Set(spec.front);
      const point = (p) => ({
        x: scale(spec.x, p.values[spec.x]),
        y: scale(spec.y, p.values[spec.y]),
        rank: p.rank,
      });
      const on = sweep.pareto.points.filter((p) => front.has(p.rank)).map(point);
      on.sort((a, b) => a.x - b.x);
      const off = sweep.pareto.points.filter((p) => !front.has(p.rank)).map(point);
      chart(canvas, {
        type: 'scatter',
        data: {
          datasets: [
            {
              label: 'Pareto front',
              data: on,
              showLine: true,
              borderColor: '#d63b32',
              backgroundColor: '#d63b32',
              pointRadius: 5,
            },
            { label: 'dominated', data: off, backgroundColor: '#9aa4b2', pointRadius: 3 },
          ],
        },
        options: {
          scales: {
            x: {
              type: spec.x === 'parameters' ? 'logarithmic' : 'linear',
              title: { display: true, text: AXES[spec.x] ?? spec.x },
            },
            y: { title: { display: true, text: AXES[spec.y] ?? spec.y } },
          },
          plugins: {
            tooltip: {
              callbacks: { label: (item) => `${names.get(item.raw.rank)}: ${item.raw.x}, ${item.raw.y}` },
            },
          },
        },
      });
    });
  }

  function runCharts(article) {
    if (article.dataset.drawn) return;
    article.dataset.drawn = 'yes';
    const run = JSON.parse(article.querySelector('script.run-data').textContent);
    for (const head of HEADS) {
      const canvas = [...article.querySelectorAll('canvas[data-curve]')].find(
        (c) => c.dataset.curve === head,
      );
      const metric = `${head}_loss`;
      const series = (split) => run.history.map((entry) => entry[split][metric] ?? null);
      chart(canvas, {
        type: 'line',
        data: {
          labels: run.history.map((entry) => entry.epoch),
          datasets: [
            { label: `train ${metric}`, data: series('train'), borderColor: '#3273d6', pointRadius: 0 },
            { label: `val ${metric}`, data: series('val'), borderColor: '#f04438', pointRadius: 0 },
          ],
        },
        options: { scales: { x: { title: { display: true, text: 'epoch' } } } },
      });
    }
    const weights = article.querySelector('canvas[data-weights]');
    if (weights) {
      const colours = { position: '#3273d6', shape: '#12b76a', colour: '#f79009' };
      chart(weights, {
        type: 'line',
        data: {
          labels: run.history.map((entry) => entry.epoch),
          // Only the heads the run weighted: a single-task run has one.
          datasets: HEADS.filter((head) =>
            run.history.some((entry) => entry.lossWeights?.[head] !== undefined),
          ).map((head) => ({
            label: head,
            data: run.history.map((entry) => entry.lossWeights?.[head] ?? null),
            borderColor: colours[head],
            pointRadius: 0,
          })),
        },
        options: {
          scales: {
            x: { title: { display: true, text: 'epoch' } },
            y: { title: { display: true, text: 'weight' } },
          },
        },
      });
    }
    const conflict = article.querySelector('canvas[data-conflict]');
    if (conflict) {
      const pairs = [...new Set(run.history.flatMap((entry) => Object.keys(entry.taskConflict ?? {})))];
      const palette = ['#7a5af8', '#ee46bc', '#15b79e'];
      chart(conflict, {
        type: 'line',
        data: {
          labels: run.history.map((entry) => entry.epoch),
          datasets: pairs.map((pair, i) => ({
            label: pair,
            data: run.history.map((entry) => entry.taskConflict?.[pair] ?? null),
            borderColor: palette[i % palette.length],
            pointRadius: 0,
          })),
        },
        options: {
          scales: {
            x: { title: { display: true, text: 'epoch' } },
            y: { min: -1, max: 1, title: { display: true, text: 'cosine' } },
          },
        },
      });
    }
    if (run.errors) {
      const { edges, counts } = run.errors;
      chart(article.querySelector('canvas[data-errors]'), {
        type: 'bar',
        data: {
          labels: counts.map((_, i) => `${edges[i].toFixed(1)}–${edges[i + 1].toFixed(1)}`),
          datasets: [{ label: 'test samples', data: counts, backgroundColor: '#6499ea' }],
        },
        options: {
          plugins: { legend: { display: false } },
          scales: { x: { title: { display: true, text: 'px' } } },
        },
      });
    }
  }

  /** Fetches an HTML fragment of this server (rows, a run's details) as parsed nodes. */
  async function fragment(url, as) {
    const response = await fetch(url, { headers: { accept: 'text/html' } });
    if (!response.ok) throw new Error(`${response.status} ${response.statusText}`);
    const holder = document.createElement(as);
    holder.innerHTML = await response.text();
    return holder;
  }

  async function more(button) {
    const table = document.getElementById(button.dataset.table);
    const next = Number(button.dataset.next);
    button.disabled = true;
    try {
      const rows = await fragment(`${button.dataset.url}?page=${next}`, 'tbody');
      if (rows.rows.length === 0) return button.remove();
      table.tBodies[0].append(...rows.rows);
      button.dataset.next = String(next + 1);
      if (button.dataset.pages && next >= Number(button.dataset.pages)) button.remove();
    } catch (error) {
      button.textContent = `could not load more: ${error.message}`;
    } finally {
      button.disabled = false;
    }
  }

  async function openRun(trialId) {
    const panel = document.getElementById('run-detail');
    const table = document.getElementById('runs');
    const embedded = document.getElementById(`run-${trialId}`);
    if (embedded) {
      embedded.scrollIntoView();
      return runCharts(embedded);
    }
    if (!table?.dataset.detailUrl) return;
    panel.textContent = `loading ${trialId}…`;
    try {
      const holder = await fragment(`${table.dataset.detailUrl}${encodeURIComponent(trialId)}`, 'div');
      panel.replaceChildren(...holder.childNodes);
      const article = panel.querySelector('article.run');
      if (article) {
        runCharts(article);
        article.scrollIntoView();
      }
    } catch (error) {
      panel.textContent = `could not load ${trialId}: ${error.message}`;
    }
  }

  function init(root) {
    for (const c of charts) c.destroy();
    charts = [];
    sortTables(root);
    const sweep = data();
    if (sweep) {
      scatter(sweep);
      pareto(sweep);
    }
    for (const article of root.querySelectorAll('article.run')) {
      delete article.dataset.drawn;
      runCharts(article);
    }
    const button = document.getElementById('reaggregate');
    if (button) button.addEventListener('click', () => reaggregate(button));
  }

  async function reaggregate(button) {
    const status = document.getElementById('reaggregate-status');
    button.disabled = true;
    status.textContent = 're-aggregating…';
    try {
      const response = await fetch(button.dataset.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      });
      const body = await response.json();
      status.textContent = response.ok
        ? `done: ${body.counts.completed} completed`
        : `failed: ${body.message}`;
      if (response.ok) await refresh(true);
    } catch (error) {
      status.textContent = `failed: ${error}`;
    } finally {
      button.disabled = false;
    }
  }

  // The content's ETag: a poll sends it back, and an unchanged page costs a 304 with no body.
  let etag = null;
  async function refresh(force) {
    const main = document.getElementById('content');
    const url = main.dataset.refresh || (force ? `${location.pathname}/content` : null);
    if (!url) return;
    const headers = { accept: 'text/html' };
    if (etag && !force) headers['if-none-match'] = etag;
    const response = await fetch(url, { headers, cache: 'no-store' });
    if (response.status === 304 || !response.ok) return;
    etag = response.headers.get('etag');
    const html = await response.text();
    const open = new Set([...main.querySelectorAll('details[open][id]')].map((d) => d.id));
    const detail = document.getElementById('run-detail')?.cloneNode(true);
    const scroll = window.scrollY;
    main.innerHTML = html;
    for (const details of main.querySelectorAll('details[id]')) details.open = open.has(details.id);
    const panel = document.getElementById('run-detail');
    if (panel && detail) panel.replaceWith(detail);
    init(main);
    window.scrollTo(0, scroll);
    const state = main.querySelector('[data-testid="state"]');
    if (state && !['running', 'queued'].includes(state.textContent)) delete main.dataset.refresh;
  }

  document.addEventListener('DOMContentLoaded', () => {
    const main = document.getElementById('content');
    init(main);
    // One listener for buttons in content that a refresh replaces.
    main.addEventListener('click', (event) => {
      const target = event.target.closest('button');
      if (!target) return;
      if (target.classList.contains('open-run')) openRun(target.dataset.trial);
      else if (target.classList.contains('more')) more(target);
    });
    // One refresh at a time: the next is scheduled only when the last has finished, however slow.
    const poll = () =>
      setTimeout(async () => {
        if (!main.dataset.refresh) return;
        await refresh(false).catch(() => {});
        poll();
      }, REFRESH_MS);
    if (main.dataset.refresh) poll();
  });
})();
