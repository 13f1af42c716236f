//! Chinese in every label: the WenQuanYi font shipped in assets/ goes first for text, before
//! egui's own fonts (which keep symbols and emoji).

pub fn install(ctx: &egui::Context) {
    let mut fonts = egui::FontDefinitions::default();
    fonts.font_data.insert(
        "wqy".to_owned(),
        std::sync::Arc::new(egui::FontData::from_static(crate::notice::FONT)),
    );
    for family in [egui::FontFamily::Proportional, egui::FontFamily::Monospace] {
        fonts
            .families
            .entry(family)
            .or_default()
            .insert(0, "wqy".to_owned());
    }
    ctx.set_fonts(fonts);
}
