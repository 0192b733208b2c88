/* The search page: reads the index the build writes under search/<lang>/
 * (generator/search.py) and lists the pages that match.
 *
 * - A query is folded and split exactly as the build folds the text it
 *   indexes (fold() and WORD below mirror generator/arabic.py and
 *   generator/search.py; a test runs both on one table of words).
 * - Every word must match (AND). The last word also matches as the start of
 *   a longer word (it may still be being typed) once it has three letters;
 *   the others match whole words. The index also holds each Arabic word without
 *   its clitic prefixes, so «عراق» finds «والعراق».
 * - Results are ranked by how many words matched whole, then by document
 *   number: the index numbers officials, then events and sources, newest
 *   first. A term's documents are listed by number, each but the first as
 *   its distance from the one before.
 * - Only the term shards the words fall in and the document chunks of the
 *   results shown are fetched (a document's chunk is its number divided by
 *   meta.chunk). Addresses are relative to this page, so the site works
 *   under any base path.
 * - Results are built with createElement and textContent only: no text from
 *   the index is ever parsed as HTML.
 *
 * Plain ES5 with XMLHttpRequest, no dependencies. Without JavaScript the form
 * still submits ?q=…, and the page says search needs JavaScript.
 */
(function () {
  "use strict";
  // generator/arabic.py: the marks fold() drops (harakat, Quranic marks,
  // superscript alef, bidi and zero-width marks, tatweel) ...
  var DROP = /[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff\u0640]/g;
  // ... and the letters it replaces.
  var LETTERS = {
    "\u0623": "\u0627", "\u0625": "\u0627", "\u0622": "\u0627", "\u0671": "\u0627",
    "\u0649": "\u064a", "\u0629": "\u0647", "\u0624": "\u0648", "\u0626": "\u064a",
    "\u06a9": "\u0643", "\u06cc": "\u064a",
    "\u060c": ",", "\u061b": ";", "\u061f": "?"
  };
  var REPLACED = /[\u0623\u0625\u0622\u0671\u0649\u0629\u0624\u0626\u06a9\u06cc\u060c\u061b\u061f\u0660-\u0669\u06f0-\u06f9]/g;
  // generator/search.py WORD: what a token is made of once folded.
  var WORD = /[0-9a-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u0370-\u03ff\u0400-\u04ff\u0620-\u063f\u0641-\u064a\u066e-\u06d3\u06d5\u06fa-\u06ff]+/g;

  var PREFIX_MIN = 3; // shorter, a prefix such as «ال» would fetch most of the index

  function replaceLetter(c) {
    var code = c.charCodeAt(0);
    if (code >= 0x0660 && code <= 0x0669) {
      return String(code - 0x0660);
    }
    if (code >= 0x06f0 && code <= 0x06f9) {
      return String(code - 0x06f0);
    }
    return LETTERS[c];
  }

  function fold(text) {
    // Python lowers capital sigma one character at a time (never to final ς).
    return text.replace(DROP, "").replace(REPLACED, replaceLetter)
      .replace(/\u03a3/g, "\u03c3").toLowerCase();
  }

  function words(text) {
    return fold(text).match(WORD) || [];
  }

  // The shards holding ``term`` (and, as a prefix, every word it starts):
  // shards are cut in token order and each is listed with its first token.
  function shardsFor(meta, term, prefix) {
    var shards = meta.shards;
    var first = 0;
    for (var i = 0; i < shards.length; i += 1) {
      if (shards[i][0] <= term) {
        first = i;
      }
    }
    var names = shards.length ? [shards[first][1]] : [];
    for (var j = first + 1; prefix && j < shards.length && shards[j][0].indexOf(term) === 0; j += 1) {
      names.push(shards[j][1]);
    }
    return names;
  }

  // Calls back with each document number of a list of gaps (see above).
  function eachDocument(gaps, callback) {
    var doc = 0;
    for (var i = 0; i < gaps.length; i += 1) {
      doc += gaps[i];
      callback(doc);
    }
  }

  // document number -> 2 when ``term`` matched a whole word, 1 as a prefix.
  function matches(shards, names, term, prefix) {
    var found = {};
    names.forEach(function (name) {
      var shard = shards[name];
      if (Object.prototype.hasOwnProperty.call(shard, term)) {
        eachDocument(shard[term], function (doc) {
          found[doc] = 2;
        });
      }
      if (!prefix) {
        return;
      }
      Object.keys(shard).forEach(function (token) {
        if (token !== term && token.indexOf(term) === 0) {
          eachDocument(shard[token], function (doc) {
            found[doc] = found[doc] || 1;
          });
        }
      });
    });
    return found;
  }

  function rank(found) {
    var results = [];
    Object.keys(found[0]).forEach(function (key) {
      var score = 0;
      for (var i = 0; i < found.length; i += 1) {
        if (!found[i][key]) {
          return;
        }
        score += found[i][key];
      }
      results.push({ doc: Number(key), score: score });
    });
    results.sort(function (a, b) {
      return b.score - a.score || a.doc - b.doc;
    });
    return results;
  }

  // What to look up for a query: its words, each with the shards to fetch.
  // Every word must match; the last one also as the start of a longer word
  // once it has PREFIX_MIN letters (it may still be being typed).
  function plan(meta, query) {
    var terms = [];
    words(query).forEach(function (word) {
      if (terms.indexOf(word) === -1) {
        terms.push(word);
      }
    });
    return terms.map(function (term, i) {
      var prefix = i === terms.length - 1 && term.length >= PREFIX_MIN;
      return { term: term, prefix: prefix, shards: shardsFor(meta, term, prefix) };
    });
  }

  function shardNames(wanted) {
    var names = [];
    wanted.forEach(function (w) {
      w.shards.forEach(function (name) {
        if (names.indexOf(name) === -1) {
          names.push(name);
        }
      });
    });
    return names;
  }

  // The file holding document ``doc``: chunks span meta.chunk numbers each.
  function chunkOf(meta, doc) {
    return "docs-" + Math.floor(doc / meta.chunk) + ".json";
  }

  // The documents matching every word, best first: {doc, score} each.
  function answer(wanted, shards) {
    if (!wanted.length) {
      return [];
    }
    return rank(wanted.map(function (w) {
      return matches(shards, w.shards, w.term, w.prefix);
    }));
  }

  // Under Node, for tests/test_search.py (folding and lookup against Python).
  if (typeof module === "object" && module.exports) {
    module.exports = {
      fold: fold, words: words, plan: plan, shardNames: shardNames, answer: answer, chunkOf: chunkOf
    };
    return;
  }

  var form = document.getElementById("search-form");
  if (!form || !window.XMLHttpRequest || !window.JSON) {
    return;
  }
  var input = form.elements.q;
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-list");
  var folder = form.getAttribute("data-index");
  var root = form.getAttribute("data-root");
  var arabicDigits = form.getAttribute("data-digits") === "arabic";
  var LIMIT = 50; // results shown

  function number(n) {
    var text = String(n);
    return arabicDigits ? text.replace(/[0-9]/g, function (d) {
      return String.fromCharCode(0x0660 + Number(d));
    }) : text;
  }

  // Files of the index, fetched once each.
  var files = {};

  function load(name, done) {
    var entry = files[name];
    if (entry && entry.loaded) {
      done(entry.error, entry.value);
      return;
    }
    if (entry) {
      entry.waiting.push(done);
      return;
    }
    entry = files[name] = { loaded: false, waiting: [done] };
    var request = new XMLHttpRequest();
    request.open("GET", folder + name);
    request.onload = function () {
      try {
        if (request.status !== 200 && request.status !== 0) {
          throw new Error(request.status + " " + name);
        }
        entry.value = JSON.parse(request.responseText);
      } catch (error) {
        entry.error = error;
      }
      finish();
    };
    request.onerror = function () {
      entry.error = new Error(name);
      finish();
    };
    request.send();

    function finish() {
      entry.loaded = true;
      var waiting = entry.waiting;
      entry.waiting = [];
      waiting.forEach(function (callback) {
        callback(entry.error, entry.value);
      });
    }
  }

  function loadAll(names, done) {
    var values = {};
    var left = names.length;
    var failed = null;
    if (!left) {
      done(null, values);
      return;
    }
    names.forEach(function (name) {
      load(name, function (error, value) {
        failed = failed || error;
        values[name] = value;
        left -= 1;
        if (!left) {
          done(failed, values);
        }
      });
    });
  }

  var current = 0; // the latest search; answers to older ones are dropped

  function search(query) {
    var run = current += 1;
    if (!words(query).length) {
      show(run, null, []);
      return;
    }
    load("meta.json", function (error, meta) {
      if (error) {
        return failed(run);
      }
      var wanted = plan(meta, query);
      loadAll(shardNames(wanted), function (error, shards) {
        if (error) {
          return failed(run);
        }
        var results = answer(wanted, shards);
        var shown = results.slice(0, LIMIT);
        var chunks = [];
        shown.forEach(function (r) {
          var name = chunkOf(meta, r.doc);
          r.chunk = name;
          if (chunks.indexOf(name) === -1) {
            chunks.push(name);
          }
        });
        loadAll(chunks, function (error, docs) {
          if (error) {
            return failed(run);
          }
          show(run, results.length, shown.map(function (r) {
            return docs[r.chunk][String(r.doc)];
          }));
        });
      });
    });
  }

  function failed(run) {
    if (run === current) {
      status.textContent = form.getAttribute("data-error");
      list.hidden = true;
    }
  }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) {
      node.className = className;
    }
    if (text) {
      node.textContent = text;
    }
    return node;
  }

  function show(run, total, docs) {
    if (run !== current) {
      return;
    }
    while (list.firstChild) {
      list.removeChild(list.firstChild);
    }
    if (total === null) {
      status.textContent = "";
    } else if (total === 0) {
      status.textContent = form.getAttribute("data-none");
    } else if (total > docs.length) {
      status.textContent = form.getAttribute("data-shown")
        .replace("{n}", number(total)).replace("{shown}", number(docs.length));
    } else {
      status.textContent = form.getAttribute("data-count").replace("{n}", number(total));
    }
    docs.forEach(function (doc) {
      var item = element("li", "search-result search-" + doc.kind);
      var link = element("a", "search-result-link", doc.title);
      link.href = root + doc.url;
      link.dir = "auto";
      var heading = element("p", "search-result-title");
      heading.appendChild(link);
      item.appendChild(heading);
      var meta = element("p", "search-result-meta");
      meta.appendChild(element("span", "search-result-kind", form.getAttribute("data-" + doc.kind)));
      if (doc.date) {
        meta.appendChild(document.createTextNode(" · "));
        meta.appendChild(element("span", "search-result-date", doc.date));
      }
      item.appendChild(meta);
      if (doc.excerpt) {
        var excerpt = element("p", "search-result-excerpt", doc.excerpt);
        excerpt.dir = "auto";
        item.appendChild(excerpt);
      }
      list.appendChild(item);
    });
    list.hidden = !docs.length;
  }

  function queryOfAddress() {
    var match = /[?&]q=([^&#]*)/.exec(window.location.search);
    if (!match) {
      return "";
    }
    try {
      return decodeURIComponent(match[1].replace(/\+/g, " "));
    } catch (error) {
      return "";
    }
  }

  // Keep the query in the address, so a search can be shared (?q=word).
  function remember(query) {
    if (window.history && window.history.replaceState) {
      var search = query ? "?q=" + encodeURIComponent(query) : "";
      window.history.replaceState(null, "", window.location.pathname + search);
    }
  }

  var timer = null;
  input.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(function () {
      remember(input.value);
      search(input.value);
    }, 120);
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    window.clearTimeout(timer);
    remember(input.value);
    search(input.value);
  });
  var initial = queryOfAddress();
  if (initial) {
    input.value = initial;
    search(initial);
  }
}());
