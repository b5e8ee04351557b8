using KnowItAll.Workflow.Cli;

return await KnowItAllCli.RunAsync(args, Console.Out, Console.Error);
