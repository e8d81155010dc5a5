// The query page: YASGUI configured to talk to this server only.
//
// YASGUI's defaults reach out to the network: the endpoint is DBpedia, prefix completion
// fetches prefix.cc, class and property completion call the LOV API, and the endpoint
// picker lists DBpedia and Wikidata. Here the endpoint is this server's /sparql (also for
// links carrying ?endpoint=), prefixes come from /query/prefixes.json, the LOV completers
// are off and the endpoint catalogue is empty. The page's Content-Security-Policy would
// block any other request anyway. Tabs are kept in the browser's local storage (work is not
// lost on reload); a ?query= link opens in a tab of its own. A query the endpoint refuses is
// shown as the server's message above the editor, its position marked in the text.
(function () {
  "use strict";

  var config = JSON.parse(document.getElementById("perfkg-config").textContent);
  var endpoint = new URL(config.endpoint, window.location.href).href;
  var prefixesUrl = new URL(config.prefixes, window.location.href).href;
  var root = document.getElementById("yasgui");
  if (typeof Yasgui === "undefined" || !root) {
    return; // the page says YASGUI is missing
  }

  var Yasqe = Yasgui.Yasqe;
  // Completers register themselves into Yasqe.defaults.autocompleters on load; drop the ones
  // that call remote services before any editor exists (lodash merge would not drop them).
  var keep = ["prefixes", "variables"];
  var completers = Yasqe.defaults.autocompleters;
  for (var i = completers.length - 1; i >= 0; i--) {
    if (keep.indexOf(completers[i]) < 0) completers.splice(i, 1);
  }
  Yasqe.defaults.prefixCcApi = prefixesUrl;
  Yasqe.defaults.requestConfig.endpoint = endpoint;
  Yasgui.defaults.requestConfig.endpoint = endpoint;

  var yasgui = new Yasgui(root, {
    persistenceId: "perfkg-query",
    copyEndpointOnNewTab: true,
    requestConfig: { endpoint: endpoint, method: "POST" },
    endpointCatalogueOptions: {
      getData: function () {
        return [{ endpoint: endpoint }];
      },
      keys: [],
    },
    // A shared link (?query=…&endpoint=…) keeps its query but never its endpoint.
    populateFromUrl: function (fromUrl) {
      fromUrl.requestConfig.endpoint = endpoint;
      return fromUrl;
    },
    yasqe: { prefixCcApi: prefixesUrl },
    // results show pk:Project and xsd:integer rather than full IRIs
    yasr: { prefixes: config.prefix_map },
  });

  window.perfkgOpenInEditor = function (title, sparql) {
    yasgui.addTab(true, {
      name: title,
      yasqe: { value: sparql },
      requestConfig: { endpoint: endpoint },
    });
  };

  // errors: the server's one JSON shape {"error": {"message", "position": [line, column]}}
  var banner = document.getElementById("editor-error");
  var marks = [];
  yasgui.on("queryResponse", function () {
    setTimeout(function () { showError(yasgui.getTab()); }, 50);
  });
  function showError(tab) {
    marks.forEach(function (m) { m.clear(); });
    marks = [];
    banner.hidden = true;
    var yasr = tab.getYasr();
    var error = yasr && yasr.results && yasr.results.getError ? yasr.results.getError() : null;
    if (!error) return;
    var message = error.text || error.statusText || "error";
    var position = null;
    try {
      var body = JSON.parse(error.text);
      if (body && body.error) {
        message = body.error.message;
        var at = body.error.position;
        position = at ? [at.line !== undefined ? at.line : at[0], at.column !== undefined ? at.column : at[1]] : null;
      }
    } catch (e) { /* not our JSON shape: show the text */ }
    banner.textContent = (position ? "第 " + position[0] + " 行第 " + position[1] + " 列 · line " +
      position[0] + ", column " + position[1] + ": " : "") + message;
    banner.hidden = false;
    var yasqe = tab.getYasqe();
    if (position && yasqe && yasqe.markText) {
      var line = Math.max(0, position[0] - 1), ch = Math.max(0, position[1] - 1);
      marks.push(yasqe.markText({ line: line, ch: ch }, { line: line, ch: ch + 1 },
        { className: "query-error-mark" }));
      yasqe.addLineClass(line, "background", "query-error-line");
      marks.push({ clear: function () { yasqe.removeLineClass(line, "background", "query-error-line"); } });
    }
  }
  window.perfkgYasgui = yasgui; // for the browser test and the curious
})();
