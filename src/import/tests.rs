//! The conversion on small hand-written parts: each case is the XML Word or WPS writes
//! for one thing and the exact Markdown it becomes. (The `.docx` files python-docx
//! writes are converted whole in `tests/import.rs`.)

use super::docx::{Parts, parse};
use super::headings::numbering_level;
use super::markdown::write;
use super::model::{Document, Dropped, Lost, Placed};

const NS: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:v="urn:schemas-microsoft-com:vml" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006""#;

fn document(body: &str) -> String {
    format!("<w:document {NS}><w:body>{body}</w:body></w:document>")
}

fn styles(inner: &str) -> String {
    format!("<w:styles {NS}>{inner}</w:styles>")
}

/// A paragraph of one run of `text`, with paragraph properties `ppr`.
fn p(ppr: &str, text: &str) -> String {
    format!("<w:p><w:pPr>{ppr}</w:pPr><w:r><w:t xml:space=\"preserve\">{text}</w:t></w:r></w:p>")
}

/// A paragraph of numbering instance `num` at `level`.
fn numbered(num: u8, level: u8, text: &str) -> String {
    p(
        &format!(r#"<w:numPr><w:ilvl w:val="{level}"/><w:numId w:val="{num}"/></w:numPr>"#),
        text,
    )
}

fn read(parts: Parts<'_>) -> Document {
    parse(&parts).expect("well-formed XML")
}

/// A body read with the side parts of `side`.
fn read_with(body: &str, side: Parts<'_>) -> Document {
    let document = document(body);
    read(Parts {
        document: &document,
        ..side
    })
}

fn markdown(doc: &Document) -> String {
    let placed: Vec<Placed> = (0..doc.images.len())
        .map(|i| Placed {
            file: format!("x-{}.png", i + 1),
            shown: true,
        })
        .collect();
    write(doc, &placed)
}

/// The Markdown of a body read with the given styles and numbering.
fn convert(body: &str, styles: Option<&str>, numbering: Option<&str>) -> String {
    markdown(&read_with(
        body,
        Parts {
            styles,
            numbering,
            ..Parts::default()
        },
    ))
}

#[test]
fn wps_chinese_style_names_and_outline_levels_are_headings() {
    // WPS names the built-in styles in Chinese and gives them numbers as ids.
    let st = styles(
        r#"<w:style w:type="paragraph" w:styleId="2"><w:name w:val="标题 1"/></w:style>
           <w:style w:type="paragraph" w:styleId="3"><w:name w:val="标题 2"/></w:style>
           <w:style w:type="paragraph" w:styleId="9"><w:name w:val="小标题"/><w:basedOn w:val="8"/></w:style>
           <w:style w:type="paragraph" w:styleId="8"><w:name w:val="要点"/><w:pPr><w:outlineLvl w:val="2"/></w:pPr></w:style>"#,
    );
    let body = [
        p(r#"<w:pStyle w:val="2"/>"#, "总体要求"),
        p("", "正文一。"),
        p(r#"<w:pStyle w:val="3"/>"#, "工作目标"),
        // An outline level inherited from the style a style is based on.
        p(r#"<w:pStyle w:val="9"/>"#, "具体指标"),
        // An outline level set on the paragraph itself, no style.
        p(r#"<w:outlineLvl w:val="1"/>"#, "保障措施"),
    ]
    .concat();
    let doc = read_with(
        &body,
        Parts {
            styles: Some(&st),
            ..Parts::default()
        },
    );
    // The first heading is the title; the others move up a level under it.
    assert_eq!(doc.title.as_deref(), Some("总体要求"));
    assert_eq!(
        markdown(&doc),
        "正文一。\n\n## 工作目标\n\n### 具体指标\n\n## 保障措施\n"
    );
}

#[test]
fn the_title_style_gives_the_title_and_headings_start_at_two() {
    let st = styles(
        r#"<w:style w:styleId="Title"><w:name w:val="Title"/></w:style>
           <w:style w:styleId="Heading1"><w:name w:val="heading 1"/></w:style>
           <w:style w:styleId="Heading2"><w:name w:val="heading 2"/></w:style>"#,
    );
    let body = [
        p(r#"<w:pStyle w:val="Title"/>"#, "关于加强干部培训的意见"),
        p(r#"<w:pStyle w:val="Heading1"/>"#, "一、目标"),
        p(r#"<w:pStyle w:val="Heading2"/>"#, "（一）总体目标"),
    ]
    .concat();
    let doc = read_with(
        &body,
        Parts {
            styles: Some(&st),
            ..Parts::default()
        },
    );
    assert_eq!(doc.title.as_deref(), Some("关于加强干部培训的意见"));
    assert_eq!(markdown(&doc), "## 一、目标\n\n### （一）总体目标\n");
}

#[test]
fn official_numbering_makes_headings_when_there_are_no_heading_styles() {
    let body = [
        p(
            r#"<w:jc w:val="center"/>"#,
            "关于全市干部教育培训工作的报告",
        ),
        p("", "一、基本情况"),
        p("", "　　今年共举办培训班 36 期。"),
        p("", "（一）主要做法"),
        p("", "1．分类施训"),
        p("", "(2)注重实效"),
        p("", "1.5 万人次参训。"),
    ]
    .concat();
    let doc = read_with(&body, Parts::default());
    assert_eq!(doc.title.as_deref(), Some("关于全市干部教育培训工作的报告"));
    assert_eq!(
        markdown(&doc),
        "## 一、基本情况\n\n今年共举办培训班 36 期。\n\n### （一）主要做法\n\n#### 1．分类施训\n\n##### (2)注重实效\n\n1\\.5 万人次参训。\n"
    );
}

#[test]
fn numbering_levels_of_official_documents() {
    let cases = [
        ("一、基本情况", Some(2)),
        ("十二、其他", Some(2)),
        ("（一）总体要求", Some(3)),
        ("(三)保障", Some(3)),
        ("1.分类施训", Some(4)),
        ("12．注重实效", Some(4)),
        ("（1）专项资金", Some(5)),
        ("(10)其他", Some(5)),
        ("1.5 亿元", None),
        ("一、", None),
        ("一是加强领导", None),
        ("2026年工作", None),
        (
            "一、这一段很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长。",
            None,
        ),
    ];
    for (text, want) in cases {
        assert_eq!(numbering_level(text), want, "{text}");
    }
}

#[test]
fn runs_keep_bold_italic_strike_breaks_and_links() {
    let body = r#"<w:p>
        <w:r><w:t>全市</w:t></w:r>
        <w:r><w:rPr><w:b/></w:rPr><w:t>坚持</w:t></w:r>
        <w:r><w:rPr><w:b/></w:rPr><w:t>优先</w:t></w:r>
        <w:r><w:rPr><w:b w:val="0"/></w:rPr><w:t>发展，</w:t></w:r>
        <w:r><w:rPr><w:i/></w:rPr><w:t>统筹</w:t></w:r>
        <w:r><w:rPr><w:strike/></w:rPr><w:t>原计划</w:t></w:r>
        <w:r><w:br/><w:t>第二行</w:t></w:r>
        <w:r><w:br w:type="page"/></w:r>
        <w:hyperlink r:id="rId5"><w:r><w:t>政策栏目</w:t></w:r></w:hyperlink>
    </w:p>"#;
    let rels = r#"<Relationships><Relationship Id="rId5" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink" Target="https://www.gov.cn/zhengce/" TargetMode="External"/></Relationships>"#;
    let doc = read_with(
        body,
        Parts {
            rels: Some(rels),
            ..Parts::default()
        },
    );
    assert_eq!(
        markdown(&doc),
        "全市**坚持优先**发展，<em>统筹</em><del>原计划</del>\\\n第二行[政策栏目](https://www.gov.cn/zhengce/)\n"
    );
}

#[test]
fn delimiters_that_would_not_close_become_tags() {
    // `**“引号”**后`: the closing `**` follows punctuation and precedes a letter.
    let body = r#"<w:p><w:r><w:t>见</w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t>“要求”</w:t></w:r><w:r><w:t>后</w:t></w:r></w:p>
        <w:p><w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">加粗 </w:t></w:r><w:r><w:t>后文</w:t></w:r></w:p>"#;
    assert_eq!(
        convert(body, None, None),
        "见<strong>“要求”</strong>后\n\n**加粗** 后文\n"
    );
}

#[test]
fn wps_hyperlink_fields_become_links_and_other_fields_keep_their_result() {
    let body = r#"<w:p>
        <w:r><w:fldChar w:fldCharType="begin"/></w:r>
        <w:r><w:instrText xml:space="preserve"> HYPERLINK "http://www.suizhou.gov.cn/" </w:instrText></w:r>
        <w:r><w:fldChar w:fldCharType="separate"/></w:r>
        <w:r><w:t>随州市人民政府网</w:t></w:r>
        <w:r><w:fldChar w:fldCharType="end"/></w:r>
        <w:r><w:t>，第</w:t></w:r>
        <w:r><w:fldChar w:fldCharType="begin"/></w:r>
        <w:r><w:instrText> PAGE </w:instrText></w:r>
        <w:r><w:fldChar w:fldCharType="separate"/></w:r>
        <w:r><w:t>3</w:t></w:r>
        <w:r><w:fldChar w:fldCharType="end"/></w:r>
        <w:r><w:t>页</w:t></w:r>
        <w:fldSimple w:instr=" HYPERLINK &quot;https://a.example/x y&quot; "><w:r><w:t>链接</w:t></w:r></w:fldSimple>
    </w:p>"#;
    assert_eq!(
        convert(body, None, None),
        "[随州市人民政府网](http://www.suizhou.gov.cn/)，第3页[链接](<https://a.example/x y>)\n"
    );
}

#[test]
fn tracked_changes_read_as_accepted_and_comments_go() {
    let body = r#"<w:p>
        <w:r><w:t>培训</w:t></w:r>
        <w:del w:id="1" w:author="张"><w:r><w:delText>三</w:delText></w:r></w:del>
        <w:ins w:id="2" w:author="张"><w:r><w:t>四</w:t></w:r></w:ins>
        <w:commentRangeStart w:id="0"/><w:r><w:t>次</w:t></w:r><w:commentRangeEnd w:id="0"/>
        <w:r><w:commentReference w:id="0"/></w:r>
        <w:moveFrom w:id="3"><w:r><w:t>旧处</w:t></w:r></w:moveFrom>
    </w:p>"#;
    assert_eq!(convert(body, None, None), "培训四次\n");
}

#[test]
fn numbering_from_num_pr_nests_bullets_and_numbers() {
    // WPS writes numbering on each paragraph: numId → abstractNum → the level's format.
    let numbering = format!(
        r#"<w:numbering {NS}>
        <w:abstractNum w:abstractNumId="7"><w:lvl w:ilvl="0"><w:numFmt w:val="bullet"/></w:lvl><w:lvl w:ilvl="1"><w:numFmt w:val="decimal"/></w:lvl></w:abstractNum>
        <w:abstractNum w:abstractNumId="8"><w:lvl w:ilvl="0"><w:numFmt w:val="chineseCounting"/></w:lvl></w:abstractNum>
        <w:num w:numId="1"><w:abstractNumId w:val="7"/></w:num>
        <w:num w:numId="2"><w:abstractNumId w:val="8"/></w:num>
        </w:numbering>"#
    );
    let body = [
        p("", "要求如下："),
        numbered(1, 0, "理论学习"),
        numbered(1, 1, "原文原著"),
        numbered(1, 1, "辅导读本"),
        numbered(1, 0, "专题研讨"),
        numbered(1, 1, "交流发言"),
        p("", "考核："),
        numbered(2, 0, "自学"),
        numbered(2, 0, "研讨"),
        // numId 0 switches numbering off.
        p(r#"<w:numPr><w:numId w:val="0"/></w:numPr>"#, "普通段落"),
    ]
    .concat();
    assert_eq!(
        convert(&body, None, Some(&numbering)),
        "要求如下：\n\n- 理论学习\n  1. 原文原著\n  2. 辅导读本\n- 专题研讨\n  1. 交流发言\n\n考核：\n\n1. 自学\n2. 研讨\n\n普通段落\n"
    );
}

#[test]
fn tables_flatten_merged_cells_and_say_so() {
    let cell =
        |props: &str, text: &str| format!("<w:tc><w:tcPr>{props}</w:tcPr>{}</w:tc>", p("", text));
    let rows = [
        [cell("", "单位"), cell(r#"<w:gridSpan w:val="2"/>"#, "人数")].concat(),
        [
            cell(r#"<w:vMerge w:val="restart"/>"#, "市发改委"),
            cell("", "46"),
            format!("<w:tc>{}{}</w:tc>", p("", "男 30"), p("", "女 16")),
        ]
        .concat(),
        [cell("<w:vMerge/>", ""), cell("", "38"), cell("", "a|b")].concat(),
    ];
    let body = format!("<w:tbl><w:tr>{}</w:tr></w:tbl>", rows.join("</w:tr><w:tr>"));
    let doc = read_with(&body, Parts::default());
    assert_eq!(
        markdown(&doc),
        "| 单位 | 人数 |  |\n| --- | --- | --- |\n| 市发改委 | 46 | 男 30<br>女 16 |\n|  | 38 | a\\|b |\n"
    );
    let lost: Vec<&Lost> = doc.notes.iter().map(|n| &n.what).collect();
    assert_eq!(
        lost,
        [
            &Lost::MergedCells { table: 1 },
            &Lost::CellParagraphs { table: 1 }
        ]
    );
    assert_eq!(doc.notes[0].paragraph, 1);
    assert_eq!(doc.notes[0].excerpt, "单位");
}

#[test]
fn footnotes_become_markdown_footnotes() {
    let body = r#"<w:p><w:r><w:t>据统计</w:t></w:r><w:r><w:footnoteReference w:id="2"/></w:r><w:r><w:t>，另见</w:t></w:r><w:r><w:footnoteReference w:id="5"/></w:r></w:p>"#;
    let notes = format!(
        r#"<w:footnotes {NS}>
        <w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>
        <w:footnote w:id="2"><w:p><w:r><w:footnoteRef/></w:r><w:r><w:t xml:space="preserve"> 市统计局 2025 年数据。</w:t></w:r></w:p></w:footnote>
        <w:footnote w:id="5"><w:p><w:r><w:t>《干部教育培训工作条例》。</w:t></w:r></w:p></w:footnote>
        </w:footnotes>"#
    );
    let doc = read_with(
        body,
        Parts {
            footnotes: Some(&notes),
            ..Parts::default()
        },
    );
    assert_eq!(
        markdown(&doc),
        "据统计[^1]，另见[^2]\n\n[^1]: 市统计局 2025 年数据。\n[^2]: 《干部教育培训工作条例》。\n"
    );
}

#[test]
fn pictures_from_drawing_ml_and_wps_vml_with_their_alt_text() {
    let rels = r#"<Relationships><Relationship Id="rId7" Target="media/image1.jpeg"/><Relationship Id="rId8" Target="media/image2.png"/></Relationships>"#;
    let body = r#"<w:p><w:r><w:drawing><wp:inline><wp:docPr id="1" name="图片 1" descr="开班仪式"/><a:graphic><a:graphicData><a:blip r:embed="rId7"/></a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>
        <w:p><w:r><w:pict><v:shape><v:imagedata r:id="rId8" o:title=""/></v:shape></w:pict></w:r></w:p>
        <w:p><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wp:anchor><wp:docPr id="3" name="图片 3" descr="现场"/><a:blip r:embed="rId7"/></wp:anchor></w:drawing></mc:Choice><mc:Fallback><w:pict><v:imagedata r:id="rId7"/></w:pict></mc:Fallback></mc:AlternateContent></w:r></w:p>"#
        .replace("o:title", "title");
    let doc = read_with(
        &body,
        Parts {
            rels: Some(rels),
            ..Parts::default()
        },
    );
    assert_eq!(
        doc.images.len(),
        3,
        "the fallback of mc:AlternateContent is not read"
    );
    assert_eq!(doc.images[0].target, "media/image1.jpeg");
    assert_eq!(
        markdown(&doc),
        "![开班仪式](x-1.png)\n\n![](x-2.png)\n\n![现场](x-3.png)\n"
    );
    assert_eq!(
        doc.notes.iter().map(|n| &n.what).collect::<Vec<_>>(),
        [&Lost::ImageWithoutAlt {
            number: 2,
            name: String::new()
        }]
    );
}

#[test]
fn contents_empty_paragraphs_and_indentation_are_dropped() {
    let st = styles(r#"<w:style w:styleId="TOC1"><w:name w:val="toc 1"/></w:style>"#);
    let body = [
        p(r#"<w:pStyle w:val="TOC1"/>"#, "一、基本情况 ........ 1"),
        p("", "　　"),
        "<w:p/>".to_string(),
        p("", "　　正文首行缩进两个全角空格。　"),
        "<w:sectPr/>".to_string(),
    ]
    .concat();
    assert_eq!(
        convert(&body, Some(&st), None),
        "正文首行缩进两个全角空格。\n"
    );
}

#[test]
fn markdown_characters_in_text_stay_text() {
    let body = [
        p("", "# 不是标题"),
        p("", "- 不是列表"),
        p("", "2025. 不是列表"),
        p("", "a*b*c [x](y) &lt;b&gt; `代码` ~删~ $5"),
    ]
    .concat();
    assert_eq!(
        convert(&body, None, None),
        "\\# 不是标题\n\n\\- 不是列表\n\n2025\\. 不是列表\n\na\\*b\\*c \\[x\\](y) \\<b\\> \\`代码\\` \\~删\\~ \\$5\n"
    );
}

#[test]
fn core_properties_give_author_and_date() {
    let core = r#"<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/"><dc:creator>王晓红</dc:creator><dcterms:created>2026-02-27T17:30:00Z</dcterms:created></cp:coreProperties>"#;
    let doc = read_with(
        &p("", "正文"),
        Parts {
            core: Some(core),
            ..Parts::default()
        },
    );
    assert_eq!(doc.author.as_deref(), Some("王晓红"));
    assert_eq!(doc.created.as_deref(), Some("2026-02-27T17:30:00Z"));
}

#[test]
fn a_broken_main_part_is_an_error_and_broken_side_parts_are_not() {
    assert!(
        parse(&Parts {
            document: "<w:document><w:body>",
            ..Parts::default()
        })
        .is_err()
    );
    let doc = read_with(
        &p("", "正文"),
        Parts {
            styles: Some("<broken"),
            numbering: Some("&"),
            ..Parts::default()
        },
    );
    assert_eq!(markdown(&doc), "正文\n");
}

#[test]
fn wps_numbered_official_headings_keep_their_number_as_text() {
    // WPS numbers 一、 and （一） itself: the text holds no number.
    let numbering = format!(
        r#"<w:numbering {NS}>
        <w:abstractNum w:abstractNumId="3"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl><w:lvl w:ilvl="1"><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/></w:lvl></w:abstractNum>
        <w:abstractNum w:abstractNumId="4"><w:lvl w:ilvl="0"><w:start w:val="3"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl></w:abstractNum>
        <w:num w:numId="5"><w:abstractNumId w:val="3"/></w:num>
        <w:num w:numId="6"><w:abstractNumId w:val="4"/></w:num>
        </w:numbering>"#
    );
    let body = [
        numbered(5, 0, "基本情况"),
        p("", "正文。"),
        numbered(5, 1, "主要做法"),
        numbered(5, 1, "存在问题"),
        numbered(5, 0, "下一步打算"),
        // A numbered list stays a list, from its start number.
        numbered(6, 0, "甲"),
        numbered(6, 0, "乙"),
    ]
    .concat();
    assert_eq!(
        convert(&body, None, Some(&numbering)),
        "## 一、基本情况\n\n正文。\n\n### （一）主要做法\n\n### （二）存在问题\n\n## 二、下一步打算\n\n3. 甲\n4. 乙\n"
    );
}

#[test]
fn text_boxes_charts_and_equations_are_left_out_and_said_so() {
    let body = r#"<w:p><w:r><w:t>见下图</w:t></w:r><w:r><w:drawing><wp:anchor><wps:txbx xmlns:wps="wps"><w:txbxContent><w:p><w:r><w:t>框中文字</w:t></w:r></w:p></w:txbxContent></wps:txbx></wp:anchor></w:drawing></w:r></w:p>
        <w:p><w:r><w:drawing><wp:inline><a:graphic><a:graphicData><c:chart xmlns:c="c" r:id="rId9"/></a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>
        <w:p><m:oMath xmlns:m="m"><m:r><m:t>x</m:t></m:r></m:oMath><w:r><w:t>公式后</w:t></w:r></w:p>"#;
    let doc = read_with(body, Parts::default());
    assert_eq!(markdown(&doc), "见下图\n\n公式后\n");
    let lost: Vec<(usize, &str, &Lost)> = doc
        .notes
        .iter()
        .map(|n| (n.paragraph, n.excerpt.as_str(), &n.what))
        .collect();
    assert_eq!(
        lost,
        [
            (1, "见下图", &Lost::Dropped(Dropped::TextBox)),
            (2, "", &Lost::Dropped(Dropped::Chart)),
            (3, "公式后", &Lost::Dropped(Dropped::Equation)),
        ]
    );
}

#[test]
fn nesting_too_deep_to_walk_is_an_error_not_a_crash() {
    let deep = format!("{}正文{}", "<w:ins>".repeat(500), "</w:ins>".repeat(500));
    let document = document(&format!("<w:p>{deep}</w:p>"));
    let e = parse(&Parts {
        document: &document,
        ..Parts::default()
    });
    assert!(e.is_err());
    // As deep as real documents go, it reads.
    let ok = format!(
        "{}<w:r><w:t>正文</w:t></w:r>{}",
        "<w:ins>".repeat(50),
        "</w:ins>".repeat(50)
    );
    assert_eq!(convert(&format!("<w:p>{ok}</w:p>"), None, None), "正文\n");
}
