// The API page (/docs): Swagger UI from this server (service/frontend, npm), reading this
// server's /openapi.json. Kept in a file of its own: the pages' Content-Security-Policy runs
// no inline script.
(function () {
  "use strict";
  var root = document.getElementById("swagger-ui");
  if (!root || typeof window.SwaggerUIBundle !== "function") {
    return;
  }
  window.SwaggerUIBundle({
    url: root.getAttribute("data-openapi"),
    dom_id: "#swagger-ui",
    deepLinking: true,
    validatorUrl: null,
  });
})();
