/** Objects that can face outside the cluster; exposure findings are reported on them. Kept with the code that makes entries. */
export { ENTRY_KINDS as EXPOSURE_ENTRY_KINDS } from '../../exposure/entry-points.js';
