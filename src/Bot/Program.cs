using Bot.Cli;

return await CliRunner.RunAsync(args);
