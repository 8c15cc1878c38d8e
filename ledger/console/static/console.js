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
