// Progressive enhancement only: every page works without this file.
import { initAll } from '../vendor/govuk/govuk-frontend.min.js';

initAll();

// Session timeout warning (WCAG 2.2.1), a modal dialog as GOV.UK's timeout warning: shown
// before the idle timeout with a way to stay signed in. While it is open the page behind is
// inert, Tab and Shift+Tab cycle inside it, Escape means "stay signed in", and closing it gives
// focus back to whatever had it (the field half-way through a form). The countdown is read out
// at each whole minute and every 20 seconds in the last minute, never every second. Without
// JavaScript the session still expires and the sign-in page says why.
const warning = document.getElementById('timeout-warning');
if (warning) {
  const idle = Number(warning.dataset.idleSeconds) * 1000;
  const warn = Number(warning.dataset.warnSeconds) * 1000;
  const dialog = warning.querySelector('[role=alertdialog]');
  const text = document.getElementById('timeout-warning-text');
  const announce = document.getElementById('timeout-warning-announce');
  const keepAlive = document.getElementById('timeout-keep-alive');
  let showTimer;
  let expireTimer;
  let tick;
  let deadline;
  let returnTo = null;
  let lastAnnounced = null;

  const focusables = () => Array.from(
    dialog.querySelectorAll('a[href], button:not([disabled]), input:not([type=hidden]), select, textarea'),
  ).filter((element) => element.offsetParent !== null);

  const message = (seconds) => {
    const minutes = Math.ceil(seconds / 60);
    if (seconds >= 60) {
      return minutes === 1 ? warning.dataset.textMinute : warning.dataset.textMinutes.replace('{n}', minutes);
    }
    return seconds === 1 ? warning.dataset.textSecond : warning.dataset.textSeconds.replace('{n}', seconds);
  };

  const countdown = () => {
    const seconds = Math.max(Math.ceil((deadline - Date.now()) / 1000), 0);
    const said = message(seconds);
    if (text.textContent !== said) text.textContent = said;
    const step = seconds > 60 ? (seconds % 60 === 0) : (seconds % 20 === 0);
    if (step && seconds > 0 && lastAnnounced !== seconds) {
      lastAnnounced = seconds;
      announce.textContent = said;
    }
  };

  const setInert = (value) => {
    for (const element of document.body.children) {
      if (element !== warning && element.tagName !== 'SCRIPT') element.inert = value;
    }
  };

  const open = () => {
    if (!warning.hidden) return;
    returnTo = document.activeElement;
    lastAnnounced = null;
    announce.textContent = '';
    countdown();
    setInert(true);
    warning.hidden = false;
    dialog.focus();
    tick = setInterval(countdown, 1000);
  };

  const close = () => {
    clearInterval(tick);
    warning.hidden = true;
    setInert(false);
    if (returnTo && returnTo !== document.body && returnTo.isConnected) {
      returnTo.focus();
    }
    returnTo = null;
  };

  // The server writes a session's last activity at most once a minute, so at page load the
  // time left (data-idle-left) can be a little under the full idle time; "stay signed in"
  // writes it, and from then the full time counts.
  const schedule = (left = idle) => {
    clearTimeout(showTimer);
    clearTimeout(expireTimer);
    deadline = Date.now() + left;
    showTimer = setTimeout(open, Math.max(left - warn, 0));
    expireTimer = setTimeout(() => {
      window.location.href = warning.dataset.signOutUrl;
    }, left);
  };

  warning.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      keepAlive.requestSubmit();
      return;
    }
    if (event.key !== 'Tab') return;
    const items = focusables();
    if (!items.length) return;
    const first = items[0];
    const last = items[items.length - 1];
    const inside = items.includes(document.activeElement);
    if (event.shiftKey && (document.activeElement === first || !inside)) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && (document.activeElement === last || !inside)) {
      event.preventDefault();
      first.focus();
    }
  });

  keepAlive.addEventListener('submit', async (event) => {
    event.preventDefault();
    const response = await fetch(keepAlive.action, {
      method: 'POST',
      body: new FormData(keepAlive),
      headers: { 'X-Requested-With': 'fetch' },
      credentials: 'same-origin',
    });
    if (response.ok) {
      close();
      schedule();
    } else {
      window.location.href = warning.dataset.signOutUrl;
    }
  });
  const left = warning.dataset.idleLeft ? Number(warning.dataset.idleLeft) * 1000 : idle;
  schedule(Number.isFinite(left) ? Math.min(left, idle) : idle);
}
