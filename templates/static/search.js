/* The search page: Pagefind's interface over the index built with the site.
 *
 * Pagefind finds its bundle from the address of pagefind-ui.js and picks the
 * index of the page's language (<html lang>). Result addresses are indexed
 * from the site root, so baseUrl is the path the site is published under.
 */
(function () {
  "use strict";
  var element = document.getElementById("search");
  if (!element || typeof window.PagefindUI !== "function") {
    return;
  }
  new window.PagefindUI({
    element: "#search",
    baseUrl: element.getAttribute("data-base-url") || "/",
    showSubResults: true,
    showImages: false,
    resetStyles: false
  });
  var input = element.querySelector("input");
  if (input) {
    input.setAttribute("aria-label", element.getAttribute("data-label"));
    var query = new URLSearchParams(window.location.search).get("q");
    if (query) {
      input.value = query;
      input.dispatchEvent(new Event("input", { bubbles: true }));
    }
  }
}());
