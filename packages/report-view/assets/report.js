// The report page's behaviour: sortable tables, charts (Chart.js, loaded before this script),
// live refresh of a running sweep, and the re-aggregate action. Plain browser script, no modules,
// so a self-contained report can inline it. Every string from the data is set as text, never HTML.
(() => {
  const HEADS = ['position', 'shape', 'colour'];
  const REFRESH_MS = 5000;
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

  function overview(sweep) {
    const select = document.getElementById('hp-select');
    const scatter = document.getElementById('hp-chart');
    const drawScatter = () => {
      const key = select.value;
      const values = sweep.runs.map((run) => run.config[key]);
      const numeric = values.every((value) => typeof value === 'number');
      const categories = [...new Set(values.map((value) => JSON.stringify(value ?? null)))];
      const points = sweep.runs.map((run, i) => ({
        x: numeric ? values[i] : JSON.stringify(values[i] ?? null),
        y: run.objective,
        trial: run.trialId,
      }));
      const old = window.Chart?.getChart(scatter);
      if (old) old.destroy();
      chart(scatter, {
        type: 'scatter',
        data: { datasets: [{ label: sweep.objective.metric, data: points, pointRadius: 5 }] },
        options: {
          scales: {
            x: numeric
              ? { type: 'linear', title: { display: true, text: key } }
              : { type: 'category', labels: categories, title: { display: true, text: key } },
            y: { title: { display: true, text: sweep.objective.metric } },
          },
          plugins: {
            legend: { display: false },
            tooltip: { callbacks: { label: (item) => `${item.raw.trial}: ${item.raw.y}` } },
          },
        },
      });
    };
    if (select && scatter) {
      select.addEventListener('change', drawScatter);
      drawScatter();
    }
    chart(document.getElementById('mae-chart'), {
      type: 'bar',
      data: {
        labels: sweep.runs.map((run) => run.trialId),
        datasets: [{ label: 'position MAE (px)', data: sweep.runs.map((run) => run.mae) }],
      },
      options: { plugins: { legend: { display: false } } },
    });
  }

  function runCharts(sweep, details) {
    if (details.dataset.drawn) return;
    details.dataset.drawn = 'yes';
    const run = sweep.runs.find((r) => r.trialId === details.dataset.trial);
    if (!run) return;
    for (const head of HEADS) {
      const canvas = [...details.querySelectorAll('canvas[data-curve]')].find(
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
    if (run.errors) {
      const { edges, counts } = run.errors;
      chart(details.querySelector('canvas[data-errors]'), {
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

  function init(root) {
    for (const c of charts) c.destroy();
    charts = [];
    sortTables(root);
    const sweep = data();
    if (sweep) {
      overview(sweep);
      for (const details of root.querySelectorAll('details.run')) {
        if (details.open) runCharts(sweep, details);
        details.addEventListener('toggle', () => details.open && runCharts(sweep, details));
      }
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

  let last = null;
  async function refresh(force) {
    const main = document.getElementById('content');
    const url = main.dataset.refresh || (force ? `${location.pathname}/content` : null);
    if (!url) return;
    const response = await fetch(url, { headers: { accept: 'text/html' } });
    if (!response.ok) return;
    const html = await response.text();
    if (html === last) return;
    last = html;
    const open = new Set([...main.querySelectorAll('details[open][id]')].map((d) => d.id));
    main.innerHTML = html;
    for (const details of main.querySelectorAll('details[id]')) details.open = open.has(details.id);
    init(main);
    const state = main.querySelector('[data-testid="state"]');
    if (state && !['running', 'queued'].includes(state.textContent)) delete main.dataset.refresh;
  }

  document.addEventListener('DOMContentLoaded', () => {
    const main = document.getElementById('content');
    init(main);
    if (main.dataset.refresh) {
      const timer = setInterval(() => {
        if (!main.dataset.refresh) clearInterval(timer);
        else refresh(false).catch(() => {});
      }, REFRESH_MS);
    }
  });
})();
