// The admin index (core/dashboard.py): fetch each panel left out of the page (costly, not
// cached) as an HTML fragment and put it in its place. Without JavaScript, a link opens it.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll(".dashboard [data-fragment]").forEach(function (section) {
    fetch(section.dataset.fragment, { credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.text();
      })
      .then(function (html) { section.outerHTML = html; })
      .catch(function () {
        section.querySelector(".loading").textContent = "Không tải được số liệu; tải lại trang.";
      });
  });
});
