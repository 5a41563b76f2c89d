// Jest's own runner, marked serial: jest then runs this project's files one at a time in its
// main process (as --runInBand does) whatever maxWorkers is. The e2e project uses it because each
// e2e file starts real Claude Code processes that need the machine to themselves.
const TestRunner = require("jest-runner").default;

class SerialRunner extends TestRunner {
  isSerial = true;
}

module.exports = SerialRunner;
