// Placement editor for e-sealing (issue 16): drag the impression from the palette onto a page
// preview, drag a placed impression to move it, double-click it to remove it. Each placed
// impression is sent as "page:fx:fy" (its centre as fractions of the preview, from the top left);
// the server turns that into points on the PDF page. Pointer events, so mouse, pen and touch work.
(function () {
  const palette = document.querySelector('[data-testid="seal-impression"]');
  const field = document.getElementById('seal-spots');
  const count = document.querySelector('[data-testid="spot-count"]');
  if (!palette || !field) return;
  const impressionWidth = parseFloat(palette.dataset.widthPoints);
  const pages = Array.from(document.querySelectorAll('.seal-page'));

  function write() {
    const spots = [];
    for (const page of pages) {
      for (const mark of page.querySelectorAll('.seal-mark')) {
        spots.push(page.dataset.page + ':' + mark.dataset.fx + ':' + mark.dataset.fy);
      }
    }
    field.value = spots.join(';');
    if (count) count.textContent = String(spots.length);
  }

  function pageAt(x, y) {
    return pages.find(p => { const r = p.getBoundingClientRect(); return x >= r.left && x <= r.right && y >= r.top && y <= r.bottom; });
  }

  function put(mark, page, x, y) {
    const r = page.getBoundingClientRect();
    const fx = Math.min(1, Math.max(0, (x - r.left) / r.width));
    const fy = Math.min(1, Math.max(0, (y - r.top) / r.height));
    if (mark.parentElement !== page) page.appendChild(mark);
    // The impression at its real size relative to the page.
    mark.style.width = (100 * impressionWidth / parseFloat(page.dataset.widthPoints)) + '%';
    mark.style.left = (fx * 100) + '%';
    mark.style.top = (fy * 100) + '%';
    mark.dataset.fx = fx.toFixed(4);
    mark.dataset.fy = fy.toFixed(4);
  }

  function newMark() {
    const mark = document.createElement('img');
    mark.src = palette.src;
    mark.alt = palette.alt;
    mark.className = 'seal-mark';
    mark.draggable = false;
    mark.setAttribute('data-testid', 'seal-mark');
    mark.style.cssText = 'position:absolute;transform:translate(-50%,-50%);opacity:.85;cursor:move;touch-action:none';
    mark.addEventListener('pointerdown', e => drag(e, mark));
    mark.addEventListener('dblclick', () => { mark.remove(); write(); });
    return mark;
  }

  function drag(start, mark) {
    start.preventDefault();
    const move = e => { const page = pageAt(e.clientX, e.clientY); if (page) put(mark, page, e.clientX, e.clientY); };
    const up = e => {
      document.removeEventListener('pointermove', move);
      document.removeEventListener('pointerup', up);
      const page = pageAt(e.clientX, e.clientY);
      if (page) put(mark, page, e.clientX, e.clientY);
      else if (mark.parentElement && !mark.parentElement.classList.contains('seal-page')) mark.remove();
      write();
    };
    document.addEventListener('pointermove', move);
    document.addEventListener('pointerup', up);
  }

  palette.addEventListener('pointerdown', e => {
    const mark = newMark();
    mark.style.visibility = 'visible';
    document.body.appendChild(mark); // not on a page until it is dropped on one
    mark.style.position = 'fixed';
    mark.style.width = palette.getBoundingClientRect().width + 'px';
    mark.style.left = e.clientX + 'px';
    mark.style.top = e.clientY + 'px';
    const follow = ev => { if (mark.parentElement === document.body) { mark.style.left = ev.clientX + 'px'; mark.style.top = ev.clientY + 'px'; } };
    document.addEventListener('pointermove', follow);
    const done = ev => {
      document.removeEventListener('pointermove', follow);
      document.removeEventListener('pointerup', done);
      const page = pageAt(ev.clientX, ev.clientY);
      if (page) { mark.style.position = 'absolute'; put(mark, page, ev.clientX, ev.clientY); } else mark.remove();
      write();
    };
    document.addEventListener('pointerup', done);
    e.preventDefault();
  });
})();
