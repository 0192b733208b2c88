/* Timeline filters by official, type, country and status.
 *
 * Progressive enhancement: without JavaScript the form stays hidden and the
 * timeline lists every event. With it, the form appears, hides the events that
 * do not match, and keeps the choice in the address (?official=…&type=…) so a
 * filtered view can be shared. Values are compared as plain strings taken from
 * data attributes; nothing is ever inserted as HTML.
 */
(function () {
  "use strict";
  var form = document.getElementById("filters");
  if (!form || !window.URLSearchParams || !window.history) {
    return;
  }
  var fields = ["official", "type", "country", "status"];
  var events = Array.prototype.slice.call(document.querySelectorAll(".timeline .event"));
  var days = Array.prototype.slice.call(document.querySelectorAll(".timeline .day"));
  var report = form.querySelector(".filter-report");
  var arabicDigits = form.getAttribute("data-digits") === "arabic";

  function number(n) {
    var text = String(n);
    return arabicDigits ? text.replace(/[0-9]/g, function (d) {
      return String.fromCharCode(0x0660 + Number(d));
    }) : text;
  }

  function values(event, field) {
    return (event.getAttribute("data-" + field) || "").split(" ");
  }

  function chosen() {
    var want = {};
    fields.forEach(function (field) {
      want[field] = form.elements[field].value;
    });
    return want;
  }

  function apply() {
    var want = chosen();
    var shown = 0;
    events.forEach(function (event) {
      var match = fields.every(function (field) {
        return !want[field] || values(event, field).indexOf(want[field]) !== -1;
      });
      event.hidden = !match;
      if (match) {
        shown += 1;
      }
    });
    days.forEach(function (day) {
      day.hidden = !day.querySelector(".event:not([hidden])");
    });
    var active = fields.some(function (field) { return want[field]; });
    report.textContent = !active ? "" : shown === 0 ? form.getAttribute("data-none")
      : form.getAttribute("data-count").replace("{n}", number(shown));
    var query = new URLSearchParams();
    fields.forEach(function (field) {
      if (want[field]) {
        query.set(field, want[field]);
      }
    });
    var search = query.toString();
    history.replaceState(null, "", search ? "?" + search : location.pathname);
  }

  var given = new URLSearchParams(location.search);
  fields.forEach(function (field) {
    var select = form.elements[field];
    var value = given.get(field);
    if (value && Array.prototype.some.call(select.options, function (o) { return o.value === value; })) {
      select.value = value;
    }
  });
  form.addEventListener("change", apply);
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    apply();
  });
  form.addEventListener("reset", function () {
    window.setTimeout(apply, 0);
  });
  form.hidden = false;
  apply();
}());
