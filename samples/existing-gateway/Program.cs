// An existing ASP.NET Core gateway with YARP routes of its own that adds Heimdall in two lines.
var builder = WebApplication.CreateBuilder(args);

builder.Services.AddReverseProxy().LoadFromConfig(builder.Configuration.GetSection("ReverseProxy"));
builder.Services.AddHeimdall(builder.Configuration.GetSection("Heimdall"));

var app = builder.Build();
app.MapGet("/hello", () => "existing route");
app.MapReverseProxy();
app.MapHeimdall();
app.Run();
