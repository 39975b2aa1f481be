// Marks the page as having JavaScript before it is painted, as GOV.UK Frontend expects; a file,
// not an inline script, so the Content-Security-Policy can forbid inline script.
document.body.className += " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");
