// Collapsed inlines left out of a record's page (core/inlines.py): opening one fetches its
// table from the same change view and puts it in place, with the admin's own scripts for
// adding rows, dates and autocomplete, as Django's inlines.js does for the inlines it renders.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll(".unopened-inline details").forEach(function (details) {
    details.addEventListener("toggle", function () {
      const group = details.closest(".unopened-inline");
      if (!details.open || group.dataset.loading) return;
      group.dataset.loading = "true";
      const status = group.querySelector(".unopened-inline-status");
      status.textContent = "Đang tải…";
      fetch(group.dataset.inlineUrl, { credentials: "same-origin" })
        .then(function (response) {
          if (!response.ok) throw new Error(response.status);
          return response.text();
        })
        .then(function (html) {
          const holder = document.createElement("div");
          holder.innerHTML = html.trim();
          const loaded = holder.firstElementChild;
          group.replaceWith(loaded);
          loaded.querySelector("details").open = true;
          startInline(loaded);
        })
        .catch(function () {
          delete group.dataset.loading;
          status.textContent = "Không tải được; đóng lại rồi mở lại, hoặc tải lại trang.";
        });
    });
  });
});

function startInline(group) {
  const $ = django.jQuery;
  const data = $(group).data();
  const options = data.inlineFormset;
  const rows = data.inlineType === "stacked"
    ? options.name + "-group .inline-related"
    : options.name + "-group .tabular.inline-related tbody:first > tr.form-row";
  $(rows)[data.inlineType === "stacked" ? "stackedFormset" : "tabularFormset"](rows, options.options);
  if (typeof DateTimeShortcuts !== "undefined") {
    $(".datetimeshortcuts").remove();
    DateTimeShortcuts.init();
  }
  if ($.fn.djangoAdminSelect2) {
    $(group).find(".admin-autocomplete").not("[name*=__prefix__]").djangoAdminSelect2();
  }
}
