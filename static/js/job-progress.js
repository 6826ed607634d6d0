// Updates a job's progress bar without reloading; the page's meta refresh covers no-JS.
const box = document.getElementById('job-status');
const bar = document.getElementById('job-progress');
if (box && bar) {
  document.querySelector('meta[http-equiv=refresh]')?.remove();
  const poll = async () => {
    const response = await fetch(box.dataset.jobUrl, { credentials: 'same-origin' });
    if (!response.ok) return;
    const job = await response.json();
    if (job.state === 'done' || job.state === 'failed') {
      window.location.reload();
      return;
    }
    bar.value = job.progress;
    document.getElementById('job-progress-text').textContent = `${job.progress}% done`;
    setTimeout(poll, 1000);
  };
  setTimeout(poll, 1000);
}
