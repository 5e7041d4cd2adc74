// Parses the HCL file named by argv[2] with HashiCorp's HCL library and prints it as JSON;
// a syntax error exits 1 with the parser's message.
const { parse } = require('@cdktf/hcl2json');
const file = process.argv[2];
parse(file, require('fs').readFileSync(file, 'utf8'))
  .then(json => process.stdout.write(JSON.stringify(json)))
  .catch(error => { process.stderr.write(String(error)); process.exit(1); });
