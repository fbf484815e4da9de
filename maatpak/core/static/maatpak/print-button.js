// A button marked data-print-page prints the page. In a file, not inline: the
// Content-Security-Policy allows no inline scripts or event handlers.
document.addEventListener("click", function (event) {
  if (event.target.closest("[data-print-page]")) {
    window.print();
  }
});
