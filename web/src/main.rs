use web::startup::Application;

#[actix_web::main]
async fn main() {
    let settings = match shared::Settings::load(&shared::aws::SecretsManager).await {
        Ok(s) => s,
        Err(e) => fail(e),
    };
    shared::telemetry::init("info,actix_server=warn", settings.log_format);
    let app = match Application::build(settings).await {
        Ok(app) => app,
        Err(e) => fail(e),
    };
    tracing::info!(url = %format!("http://{}", app.address()), "listening");
    if let Err(e) = app.run_until_stopped().await {
        fail(e);
    }
}

fn fail(e: impl std::fmt::Display) -> ! {
    eprintln!("web: {e:#}");
    std::process::exit(1)
}
