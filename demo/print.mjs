// Small helpers so the demo reads like a terminal session.
export function heading(text) {
  console.log(`\n\x1b[1m== ${text}\x1b[0m`);
}

export function show(command, output) {
  console.log(`\x1b[2m${command}\x1b[0m`);
  console.log(output.replace(/^/gm, '  '));
}
