// ANSI escape sequences (colours, cursor moves, OSC titles and links) out of text that goes to logs and
// summaries. A module of its own with no side effects, so the test reporter can load it (lib.js makes a temp
// folder and installs exit handlers when it loads).
'use strict';
const ANSI = /\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(\x07|\x1b\\)/g;
const stripAnsi = s => String(s).replace(ANSI, '');
module.exports = { stripAnsi };
