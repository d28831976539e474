// Needs pages: a filter form marked data-autosubmit reloads when one of its selects changes.
// Everything works without this file (the forms have submit buttons); no inline script needed.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("form[data-autosubmit] select").forEach(function (select) {
    select.addEventListener("change", function () {
      select.form.submit();
    });
  });
});
