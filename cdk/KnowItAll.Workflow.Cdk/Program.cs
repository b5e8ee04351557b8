using Amazon.CDK;
using KnowItAll.Workflow.Cdk;

var app = new App();
WorkflowApp.Build(app, WorkflowApp.RepositoryRoot(), app.Node.TryGetContext("knowitall:bootstrapAsset") as string);
app.Synth();
