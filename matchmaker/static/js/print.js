// A button with data-print prints the page (agendas, table cards); no inline handlers (CSP).
document.querySelectorAll("[data-print]").forEach(function (button) {
  button.addEventListener("click", function () { window.print(); });
});
