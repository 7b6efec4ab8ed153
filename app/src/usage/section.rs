use super::{Line, UsageSnapshot};
use crate::boundary::LoadError;
use crate::components::ErrorCallout;
use crate::domain::{Currency, Money};
use leptos::prelude::*;

/// The Usage section: this month's spend and tokens, split three ways,
/// and the last 30 days' spend as an SVG chart with the same figures in a
/// table for screen readers. Server-rendered; nothing to change here.
#[component]
pub fn Usage(snapshot: Result<UsageSnapshot, LoadError>) -> impl IntoView {
    let body = match snapshot {
        Ok(snapshot) => view! { <Figures snapshot /> }.into_any(),
        Err(error) => view! { <ErrorCallout message=error.to_string() /> }.into_any(),
    };
    view! {
        <section class="setting usage" id="usage" aria-labelledby="usage-title">
            <h2 id="usage-title">"Usage"</h2>
            {body}
        </section>
    }
}

/// "12.35 USD", "estimated" where the price table priced some of it, and
/// what was not priced at all.
fn cost_text(line: &Line, currency: Currency) -> String {
    let mut text = Money::from_micros(line.cost_micros, currency).to_string();
    if line.estimated_events > 0 {
        text.push_str(" (estimated)");
    }
    if line.unpriced_tokens > 0 {
        text.push_str(&format!(" + {} tokens unpriced", line.unpriced_tokens));
    } else if line.unpriced_events > 0 {
        // Counted before tokens of unpriced models were summed.
        text.push_str(&format!(
            " + {} event(s) at a price unknown",
            line.unpriced_events
        ));
    }
    text
}

fn tokens_text(line: &Line) -> String {
    if line.cached_input_tokens > 0 {
        format!(
            "{} in ({} cached) · {} out",
            line.input_tokens, line.cached_input_tokens, line.output_tokens
        )
    } else {
        format!("{} in · {} out", line.input_tokens, line.output_tokens)
    }
}

#[component]
fn Figures(snapshot: UsageSnapshot) -> impl IntoView {
    let currency = snapshot.currency;
    let totals = format!(
        "{}: {} · {} tokens ({}) in {} event(s).",
        snapshot.month,
        cost_text(&snapshot.total, currency),
        snapshot.total.input_tokens + snapshot.total.output_tokens,
        tokens_text(&snapshot.total),
        snapshot.total.events,
    );
    let table = |caption: &'static str, lines: Vec<(String, Line)>| {
        (!lines.is_empty()).then(|| {
            view! {
                <table class="members usage-table">
                    <caption>{caption}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{caption}</th>
                            <th scope="col">"Spend"</th>
                            <th scope="col">"Tokens"</th>
                        </tr>
                    </thead>
                    <tbody>
                        {lines
                            .into_iter()
                            .map(|(name, line)| {
                                view! {
                                    <tr>
                                        <th scope="row">{name}</th>
                                        <td>{cost_text(&line, currency)}</td>
                                        <td>{tokens_text(&line)}</td>
                                    </tr>
                                }
                            })
                            .collect_view()}
                    </tbody>
                </table>
            }
        })
    };
    view! {
        <p class="setting-description">
            {format!(
                "What this workspace's AI used, counted in {} days and months, in {}: measured by the gateway from the provider's own answers, or as services reported it. Spend marked estimated comes from the price table, not from the provider's bill.",
                snapshot.time_zone,
                snapshot.currency,
            )}
        </p>
        <p class="usage-total">{totals}</p>
        {(snapshot.total.unpriced_tokens > 0)
            .then(|| {
                view! {
                    <p class="muted" id="usage-unpriced">
                        {format!(
                            "{} tokens unpriced this month: their models have no price, so the spend shown is short of what they cost.",
                            snapshot.total.unpriced_tokens,
                        )}
                    </p>
                }
            })}
        {table("Source", snapshot.by.source.clone())}
        {table("Feature", snapshot.by.feature.clone())}
        {table("Model", snapshot.by.model.clone())}
        {table("Paid by", snapshot.by.paid_by.clone())}
        <SpendChart days=snapshot.days.clone() currency=snapshot.currency />
    }
}

const CHART_WIDTH: i64 = 600;
const CHART_HEIGHT: i64 = 120;

#[component]
fn SpendChart(days: Vec<(String, i64)>, currency: Currency) -> impl IntoView {
    let money = |micros| Money::from_micros(micros, currency);
    let highest = days
        .iter()
        .map(|(_, spend)| *spend)
        .max()
        .unwrap_or(0)
        .max(1);
    let slot = CHART_WIDTH / (days.len().max(1) as i64);
    let total: i64 = days.iter().map(|(_, spend)| spend).sum();
    let first = days.first().map(|(day, _)| day.clone()).unwrap_or_default();
    let last = days.last().map(|(day, _)| day.clone()).unwrap_or_default();
    let description = format!(
        "Daily spend from {first} to {last}: {} in all, at most {} on one day.",
        money(total),
        money(if highest == 1 { 0 } else { highest }),
    );
    let bars = days
        .iter()
        .enumerate()
        .map(|(n, (day, spend))| {
            let height = spend * (CHART_HEIGHT - 10) / highest;
            let x = n as i64 * slot + 1;
            view! {
                <rect
                    x=x.to_string()
                    y=(CHART_HEIGHT - height).to_string()
                    width=(slot - 2).max(1).to_string()
                    height=height.to_string()
                    class="usage-bar"
                >
                    <title>{format!("{day}: {}", money(*spend))}</title>
                </rect>
            }
        })
        .collect_view();
    let rows = days
        .iter()
        .map(|(day, spend)| {
            view! {
                <tr>
                    <th scope="row">{day.clone()}</th>
                    <td>{money(*spend).to_string()}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <figure class="usage-chart">
            <svg
                viewBox=format!("0 0 {CHART_WIDTH} {CHART_HEIGHT}")
                role="img"
                aria-labelledby="usage-chart-title usage-chart-desc"
                preserveAspectRatio="none"
            >
                <title id="usage-chart-title">"Spend per day, last 30 days"</title>
                <desc id="usage-chart-desc">{description.clone()}</desc>
                {bars}
            </svg>
            <figcaption>{format!("Spend per day, {first} to {last}")}</figcaption>
        </figure>
        <table class="sr-only">
            <caption>"Spend per day, last 30 days"</caption>
            <thead>
                <tr>
                    <th scope="col">"Day"</th>
                    <th scope="col">"Spend"</th>
                </tr>
            </thead>
            <tbody>{rows}</tbody>
        </table>
    }
}
