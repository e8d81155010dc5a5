// The query page: YASGUI configured to talk to this server only.
//
// YASGUI's defaults reach out to the network: the endpoint is DBpedia, prefix completion
// fetches prefix.cc, class and property completion call the LOV API, and the endpoint
// picker lists DBpedia and Wikidata. Here the endpoint is this server's /sparql (also for
// links carrying ?endpoint=), prefixes come from /query/prefixes.json, the LOV completers
// are off and the endpoint catalogue is empty. The page's Content-Security-Policy would
// block any other request anyway. Tabs are not persisted, so the named queries and ?query=
// always start from a clean state.
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
    persistenceId: null,
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

  var byName = {};
  config.queries.forEach(function (query) {
    byName[query.name] = query;
  });
  var picker = document.getElementById("named-query");
  var description = document.getElementById("named-query-description");
  picker.addEventListener("change", function () {
    var query = byName[picker.value];
    if (!query) return;
    description.textContent = query.description;
    yasgui.addTab(true, {
      name: query.title_en || query.title,
      yasqe: { value: query.sparql },
      requestConfig: { endpoint: endpoint },
    });
  });
  window.perfkgYasgui = yasgui; // for the browser test and the curious
})();
