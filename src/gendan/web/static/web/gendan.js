// The shell's few behaviours, as a file (the Content-Security-Policy runs no inline handler).
document.addEventListener("click", function (event) {
  if (event.target.closest("[data-print]")) window.print();
});
