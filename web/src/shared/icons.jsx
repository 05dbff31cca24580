// Line icons as inline SVG (no icon font, nothing fetched). Decorative: buttons carry labels.
const paths = {
  up: 'M8 12V4M4 8l4-4 4 4',
  down: 'M8 4v8M4 8l4 4 4-4',
  copy: 'M5 5h7v8H5zM3 11V3h7',
  trash: 'M3 4h10M6 4V2.5h4V4M4.5 4l.7 9.5h5.6l.7-9.5',
  more: 'M4 6l4 4 4-4',
  less: 'M6 4l4 4-4 4',
  close: 'M4 4l8 8M12 4l-8 8',
};
export const Icon = ({ name }) => (
  <svg class="ico" viewBox="0 0 16 16" width="15" height="15" aria-hidden="true" focusable="false">
    <path
      d={paths[name]}
      fill="none"
      stroke="currentColor"
      stroke-width="1.5"
      stroke-linecap="round"
      stroke-linejoin="round"
    />
  </svg>
);
