using System.Text;
using KnowItAll.Workflow.Cli;

// Console.Out writes through a buffer of 256 bytes: validate's JSON at 1,000 tables (2.8 MB) was 11,000 writes to the pipe.
// The output goes through one 64 KiB buffer instead; RedactingWriter flushes it after each line or block it writes, so progress
// lines and prompts still appear as they are written.
var utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);
await using var stdout = new StreamWriter(Console.OpenStandardOutput(), utf8, 64 * 1024);
await using var stderr = new StreamWriter(Console.OpenStandardError(), utf8, 16 * 1024);
return await KnowItAllCli.RunAsync(args, stdout, stderr);
