// Reader tools of the default theme. Everything here is an extra: without
// JavaScript every page reads the same, at the default text size, with a
// plain "back to top" link at the end of long pages.
//
// - A− / A+ change the size of the text (five steps, remembered in
//   localStorage as `laurel-text-size`, applied as soon as this deferred
//   script runs).
// - The "back to top" link floats at the bottom corner once the reader has
//   scrolled more than a screen down a long page.
(function () {
  'use strict';
  var KEY = 'laurel-text-size';
  var MIN = -1;
  var MAX = 3;
  var root = document.documentElement;

  try {
    var saved = localStorage.getItem(KEY);
    if (saved) root.dataset.textSize = saved;
  } catch (e) {
    // Storage blocked: the default size.
  }

  function current() {
    var n = parseInt(root.dataset.textSize || '0', 10);
    return isNaN(n) ? 0 : Math.min(MAX, Math.max(MIN, n));
  }

  function apply(n, buttons) {
    if (n === 0) delete root.dataset.textSize;
    else root.dataset.textSize = String(n);
    try {
      if (n === 0) localStorage.removeItem(KEY);
      else localStorage.setItem(KEY, String(n));
    } catch (e) {
      // Private mode: the size holds for this page only.
    }
    buttons.forEach(function (b) {
      var step = parseInt(b.dataset.textStep, 10);
      b.disabled = step < 0 ? n <= MIN : n >= MAX;
    });
  }

  document.querySelectorAll('[data-text-tools]').forEach(function (tools) {
    var buttons = Array.prototype.slice.call(tools.querySelectorAll('[data-text-step]'));
    buttons.forEach(function (b) {
      b.addEventListener('click', function () {
        apply(current() + parseInt(b.dataset.textStep, 10), buttons);
      });
    });
    apply(current(), buttons);
    tools.classList.add('is-ready');
  });

  var top = document.querySelector('[data-to-top]');
  if (top) {
    var queued = false;
    var place = function () {
      queued = false;
      top.classList.toggle('is-floating', window.scrollY > window.innerHeight * 1.5);
    };
    window.addEventListener(
      'scroll',
      function () {
        if (!queued) {
          queued = true;
          window.requestAnimationFrame(place);
        }
      },
      { passive: true },
    );
    place();
  }
})();
