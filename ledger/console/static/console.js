// Small conveniences only; every page works without them.
document.addEventListener("change", (event) => {
  const box = event.target;
  if (box.matches("input[data-select-all]")) {
    const name = box.getAttribute("data-select-all");
    document.querySelectorAll(`input[name="${name}"]`).forEach((b) => { b.checked = box.checked; });
  }
  if (box.matches("input[data-badge]")) {
    const ticked = [...document.querySelectorAll("input[data-badge]:checked")].map((b) => b.dataset.badge);
    const all = [...document.querySelectorAll("input[data-badge]")].map((b) => b.dataset.badge);
    document.getElementById("sheet-employees").value = (ticked.length ? ticked : all).join(",");
  }
});
document.addEventListener("click", (event) => {
  if (event.target.matches("[data-print]")) window.print();
});
// An import running in the background: follow its progress, then show the finished page.
const progress = document.querySelector("progress[data-progress]");
if (progress) {
  const text = document.getElementById("progress-text");
  const poll = async () => {
    try {
      const answer = await fetch(progress.dataset.progress, { credentials: "same-origin" });
      if (answer.ok) {
        const state = await answer.json();
        progress.max = state.rows_total || 1;
        progress.value = state.rows_done;
        if (text) text.textContent = `${state.rows_done.toLocaleString()} / ${state.rows_total.toLocaleString()}`;
        if (state.status !== "running") { window.location.reload(); return; }
      }
    } catch (error) { /* the next poll tries again */ }
    window.setTimeout(poll, 1000);
  };
  window.setTimeout(poll, 1000);
}
