// Settings: nothing beyond the shared copy buttons (common.js) for now.
import './common.js';
