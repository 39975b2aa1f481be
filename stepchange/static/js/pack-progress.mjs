// A pack's page while the worker builds it: every 5 seconds, read the page again and put its status
// and progress in place (a polite live region says them), until the pack is built or has failed;
// then say so, with a link to the page as it is now. Nothing moves focus, and nothing reloads the
// page of itself. The page offers a link that turns this off (?refresh=off): it is then not loaded.
const progress = document.querySelector("[data-pack-progress]");
const EVERY_MS = 5000;

async function check() {
  let fetched;
  try {
    const response = await fetch(progress.dataset.packProgress, { credentials: "same-origin" });
    if (!response.ok) {
      window.setTimeout(check, EVERY_MS);
      return;
    }
    fetched = new DOMParser().parseFromString(await response.text(), "text/html");
  } catch {
    window.setTimeout(check, EVERY_MS);
    return;
  }
  const status = fetched.querySelector("#status");
  if (status) {
    document.querySelector("#status").textContent = status.textContent;
  }
  const next = fetched.querySelector("#progress [data-progress-text]");
  if (next) {
    progress.querySelector("[data-progress-text]").textContent = next.textContent;
    window.setTimeout(check, EVERY_MS);
    return;
  }
  // Built, or failed: the page as it is now shows the pack, or why it was not built.
  const said = progress.querySelector("[data-progress-text]");
  said.textContent = `The pack is ${status ? status.textContent.toLowerCase() : "no longer being built"}. `;
  const link = document.createElement("a");
  link.className = "govuk-link";
  link.id = "pack-ready";
  link.href = window.location.pathname;
  link.textContent = "Show the pack's page as it is now";
  said.append(link);
  progress.querySelector("[data-progress-controls]")?.remove();
}

if (progress) {
  window.setTimeout(check, EVERY_MS);
}
