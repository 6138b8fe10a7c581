// The in-page half of dom-probe.ts, kept as plain JavaScript (see there). It defines one global
// function, installBenchProbe(ready), which dom-probe.ts calls with what "showing its data" means.
// biome-ignore lint/correctness/noUnusedVariables: called by the init script dom-probe.ts builds
function installBenchProbe(ready) {
  const records = { readyMs: undefined, replicas: [], taskStates: [], taskDeltas: [] };
  window.__benchProbe = records;
  // When each task delta reaches the page (socket.io text frames), to split server and page time.
  const NativeWebSocket = window.WebSocket;
  window.WebSocket = class extends NativeWebSocket {
    constructor(...args) {
      super(...args);
      this.addEventListener("message", (message) => {
        if (typeof message.data !== "string" || !message.data.startsWith('42["task.updated"')) return;
        const id = /"id":"([^"]+)"/.exec(message.data)?.[1];
        if (id !== undefined) records.taskDeltas.push([id, Date.now()]);
      });
    }
  };
  const shownCounts = new Map();
  const shownStates = new Map();
  const full = (el, replicas) => el.textContent === `${replicas}/${replicas}`;
  const isReady = (counts, states) => {
    if (ready.services) {
      const { count, replicas } = ready.services;
      return counts.length >= count && [...counts].every((el) => full(el, replicas));
    }
    if (ready.tasksOf) {
      const { service, replicas } = ready.tasksOf;
      const own = [...counts].find((el) => el.dataset.testid === `replicas-${service}`);
      return own !== undefined && full(own, replicas) && states.length > 0;
    }
    return false;
  };
  const scan = () => {
    const now = Date.now();
    const counts = document.querySelectorAll('[data-testid^="replicas-"]');
    for (const el of counts) {
      const name = el.dataset.testid.slice("replicas-".length);
      const running = Number.parseInt(el.textContent ?? "", 10);
      if (shownCounts.get(name) !== running) {
        shownCounts.set(name, running);
        records.replicas.push([name, running, now]);
      }
    }
    const states = document.querySelectorAll('[data-testid="task-state"][data-task-id]');
    for (const el of states) {
      const id = el.dataset.taskId;
      const state = (el.textContent ?? "").trim();
      if (shownStates.get(id) !== state) {
        shownStates.set(id, state);
        records.taskStates.push([id, state, now]);
      }
    }
    if (records.readyMs === undefined && isReady(counts, states)) records.readyMs = performance.now();
  };
  new MutationObserver(scan).observe(document, { subtree: true, childList: true, characterData: true });
}
