# Heimdall container image: multi-stage build, runs as a non-root user, works with a read-only root file
# system (state lives in /var/lib/heimdall, mount a volume there or use PostgreSQL).
#   docker build -t heimdall .
#   docker run --read-only -v heimdall-data:/var/lib/heimdall -p 9091:9091 -p 9092:9092 heimdall
# Not built in CI: this workplace has no Docker engine.

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY nuget.config global.json Directory.Build.props Directory.Build.targets Directory.Packages.props README.md ./
COPY Heimdall.Core/Heimdall.Core.csproj Heimdall.Core/
COPY Heimdall.AspNetCore/Heimdall.AspNetCore.csproj Heimdall.AspNetCore/
COPY Heimdall.Host/Heimdall.Host.csproj Heimdall.Host/
RUN dotnet restore Heimdall.Host/Heimdall.Host.csproj
COPY Heimdall.Core/ Heimdall.Core/
COPY Heimdall.AspNetCore/ Heimdall.AspNetCore/
COPY Heimdall.Host/ Heimdall.Host/
COPY opa/ opa/
RUN dotnet publish Heimdall.Host/Heimdall.Host.csproj -c Release --no-restore -o /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
# No diagnostics IPC files in /tmp: the root file system may be read-only.
ENV DOTNET_EnableDiagnostics=0 \
    HEIMDALL_DATABASE_DSN="Data Source=/var/lib/heimdall/heimdall.db"
WORKDIR /app
COPY --from=build /app ./
COPY config.example.yaml /etc/heimdall/config.yaml
RUN mkdir -p /var/lib/heimdall && chown "$APP_UID" /var/lib/heimdall
VOLUME /var/lib/heimdall
USER $APP_UID
EXPOSE 9091 9092
ENTRYPOINT ["dotnet", "heimdall.dll"]
CMD ["serve", "--config", "/etc/heimdall/config.yaml"]
