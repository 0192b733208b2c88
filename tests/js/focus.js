// The focused element: its link, and whether a focus indicator is drawn.
() => {
  const el = document.activeElement;
  const s = getComputedStyle(el);
  return {
    href: el.getAttribute('href'),
    outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2,
    shadow: s.boxShadow !== 'none',
    visible: el.getBoundingClientRect().width > 0,
  };
}
