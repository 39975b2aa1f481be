// Warns a signed-in person five minutes before their session ends, and keeps them signed in if
// they ask (stepchange/core/session_timeout.py). The notice is in the page, hidden, with a plain
// form that works without this script; this script only shows it in time and sends the form
// without leaving the page, so that nothing typed on the page is lost.

const notice = document.querySelector('[data-module="app-session-timeout"]');

if (notice) {
  const message = notice.querySelector("[data-session-message]");
  const form = notice.querySelector("[data-session-stay]");
  const warnBefore = Number(notice.dataset.warnBefore || 300);
  let endsAt = Date.now() + Number(notice.dataset.secondsLeft) * 1000;
  let warnTimer = null;
  let tickTimer = null;

  const minutesLeft = () => Math.max(0, Math.ceil((endsAt - Date.now()) / 60000));

  const describe = () => {
    const minutes = minutesLeft();
    if (minutes <= 0) {
      clearInterval(tickTimer);
      message.textContent = "You have been signed out. Everything you saved is kept as a draft: sign in again to carry on.";
      form.hidden = true;
      return;
    }
    message.textContent = `You will be signed out in ${minutes} minute${minutes === 1 ? "" : "s"} if you do nothing.`;
  };

  const show = () => {
    describe();
    notice.hidden = false;
    notice.setAttribute("role", "alert");
    notice.focus();
    tickTimer = setInterval(describe, 15000);
  };

  const schedule = (secondsLeft) => {
    endsAt = Date.now() + secondsLeft * 1000;
    clearTimeout(warnTimer);
    clearInterval(tickTimer);
    warnTimer = setTimeout(show, Math.max(0, (secondsLeft - warnBefore) * 1000));
  };

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const response = await fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    });
    if (!response.ok) {
      form.submit();
      return;
    }
    const { seconds_left: secondsLeft } = await response.json();
    notice.hidden = true;
    notice.setAttribute("role", "region");
    schedule(secondsLeft);
  });

  schedule(Number(notice.dataset.secondsLeft));
}
