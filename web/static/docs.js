"use strict";
// Starts Swagger UI (served from /static/swagger, no CDN) on the API documentation page.
window.addEventListener("load", function () {
  if (!window.SwaggerUIBundle) { return; }
  window.SwaggerUIBundle({
    url: "/openapi.json",
    dom_id: "#swagger-ui",
    deepLinking: true,
    validatorUrl: null,
    presets: [window.SwaggerUIBundle.presets.apis],
    layout: "BaseLayout"
  });
});
