// Progressive enhancement only: every page works without this file.
import { initAll } from '../vendor/govuk/govuk-frontend.min.js';

initAll();

// Session timeout warning (WCAG 2.2.1): shown 2 minutes before the idle timeout, with a way
// to stay signed in. Without JavaScript the session still expires and the sign-in page says why.
const warning = document.getElementById('timeout-warning');
if (warning) {
  const idle = Number(warning.dataset.idleSeconds) * 1000;
  const warn = Number(warning.dataset.warnSeconds) * 1000;
  let showTimer;
  let expireTimer;
  const schedule = () => {
    clearTimeout(showTimer);
    clearTimeout(expireTimer);
    showTimer = setTimeout(() => {
      warning.hidden = false;
      warning.querySelector('[role=alertdialog]').focus();
    }, Math.max(idle - warn, 0));
    expireTimer = setTimeout(() => {
      window.location.href = warning.dataset.signOutUrl;
    }, idle);
  };
  const form = warning.querySelector('form');
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const response = await fetch(form.action, {
      method: 'POST',
      body: new FormData(form),
      headers: { 'X-Requested-With': 'fetch' },
      credentials: 'same-origin',
    });
    if (response.ok) {
      warning.hidden = true;
      schedule();
    } else {
      window.location.href = warning.dataset.signOutUrl;
    }
  });
  schedule();
}
